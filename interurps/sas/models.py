"""The SAS (service d'accès aux soins): effectors, the slots they share, regulators' care
requests and the appointments booked in those slots.

Vocabulary of the national platform (ANS SAS implementation guide, `../shared/reference/
sas-fhir-ig`): slot types PUBLIC / PRO / SNP / CPTS (TRE-R314-TypeCreneau), consultation
types (office, home visit, teleconsultation), participation modes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class StructureKind(models.TextChoices):
    CPTS = "cpts", "CPTS"
    MSP = "msp", "Maison de santé pluriprofessionnelle (MSP)"
    HEALTH_CENTRE = "centre_sante", "Centre de santé"
    SOS_MEDECINS = "sos_medecins", "Association SOS Médecins"


class ParticipationMode(models.TextChoices):
    """How an effector takes part in the SAS, as the national platform records it."""

    INDIVIDUAL = "individual", "Exercice individuel"
    CPTS = "cpts", "Via une CPTS"
    MSP = "msp", "Via une MSP"
    SOS_MEDECINS = "sos_medecins", "SOS Médecins"


class ConsultationType(models.TextChoices):
    OFFICE = "office", "Au cabinet"
    HOME = "home", "Visite à domicile"
    TELECONSULTATION = "teleconsultation", "Téléconsultation"


class SlotType(models.TextChoices):
    """TRE-R314-TypeCreneau: who may book the slot (several at once)."""

    PUBLIC = "PUBLIC", "Grand public"
    PRO = "PRO", "Professionnels"
    SNP = "SNP", "Soins non programmés (régulation SAS)"
    CPTS = "CPTS", "CPTS"


class Structure(models.Model):
    """A structure that is an effector or through which professionals take part: a CPTS,
    an MSP, a health centre, an SOS Médecins association."""

    region = models.ForeignKey(
        "geography.Region", on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    kind = models.CharField("type", max_length=20, choices=StructureKind.choices)
    name = models.CharField("nom", max_length=200)
    cpts = models.OneToOneField(
        "cpts.Cpts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sas_structure",
        verbose_name="CPTS",
        help_text="Pour une structure de type CPTS : sa fiche.",
    )
    identifier = models.CharField("FINESS ou SIRET", max_length=20, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "structure effectrice"
        verbose_name_plural = "structures effectrices"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="cpts", cpts__isnull=False)
                | (~Q(kind="cpts") & Q(cpts__isnull=True)),
                name="sas_structure_cpts_iff_kind_cpts",
            )
        ]

    def __str__(self):
        return self.name


class Effector(models.Model):
    """A professional of the registry (RPPS) or a structure that shares slots with the SAS.

    The participation statement is the sworn commitment to share at least 2 hours of slots
    a week; its date is kept. A suspended effector's slots are not offered.
    """

    region = models.ForeignKey(
        "geography.Region", on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    professional = models.OneToOneField(
        "professionals.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sas_effector",
        verbose_name="professionnel·le (RPPS)",
    )
    structure = models.OneToOneField(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="effector",
        verbose_name="structure",
    )
    participation_mode = models.CharField(
        "mode de participation", max_length=20, choices=ParticipationMode.choices
    )
    through = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name="structure de rattachement",
        help_text="CPTS, MSP ou association SOS Médecins par laquelle l'effecteur participe.",
    )
    statement_signed_on = models.DateField(
        "déclaration sur l'honneur (au moins 2 heures par semaine) signée le",
        null=True,
        blank=True,
    )
    accepts_extra_patients = models.BooleanField(
        "accepte des patients en surnuméraire",
        default=False,
        help_text="Reçoit des patients régulés au-delà des créneaux publiés.",
    )
    suspended_on = models.DateField("suspendu le", null=True, blank=True)
    suspension_reason = models.CharField("motif de la suspension", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "effecteur"
        verbose_name_plural = "effecteurs"
        constraints = [
            models.CheckConstraint(
                condition=(Q(professional__isnull=False) & Q(structure__isnull=True))
                | (Q(professional__isnull=True) & Q(structure__isnull=False)),
                name="sas_effector_is_a_professional_or_a_structure",
            )
        ]

    def __str__(self):
        if self.professional_id:
            return str(self.professional)
        return str(self.structure)

    @property
    def suspended(self) -> bool:
        return self.suspended_on is not None


class Site(models.Model):
    """Where an effector receives patients (a practice, a structure's premises)."""

    effector = models.ForeignKey(
        Effector, on_delete=models.CASCADE, related_name="sites", verbose_name="effecteur"
    )
    name = models.CharField("nom du lieu", max_length=200)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        "geography.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    # WGS84; the commune's centroid when no address point is known.
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")

    class Meta:
        verbose_name = "lieu de consultation"
        verbose_name_plural = "lieux de consultation"
        ordering = ["name"]
        indexes = [
            # Regulators' search: the sites in a bounding box around the patient.
            models.Index(fields=["latitude", "longitude"], name="sas_site_lat_lon"),
        ]

    def __str__(self):
        return self.name


class Slot(models.Model):
    """A period an effector offers. Shared with regulators and the national platform only
    when `shared` (the effector's, or the CPTS's for its rota, explicit choice)."""

    class Source(models.TextChoices):
        ENTRY = "entry", "Saisie"
        REPEAT = "repeat", "Répétition"
        COPY = "copy", "Copie de semaine"
        ICS = "ics", "Import d'agenda (ICS)"
        ROTA = "rota", "Tour de garde de la CPTS"

    effector = models.ForeignKey(
        Effector, on_delete=models.CASCADE, related_name="slots", verbose_name="effecteur"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="slots", verbose_name="lieu"
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    consultation_type = models.CharField(
        "type de consultation",
        max_length=20,
        choices=ConsultationType.choices,
        default=ConsultationType.OFFICE,
    )
    # Slot types (TRE-R314): several at once.
    type_public = models.BooleanField("grand public", default=False)
    type_pro = models.BooleanField("professionnels", default=False)
    type_snp = models.BooleanField("soins non programmés", default=True)
    type_cpts = models.BooleanField("CPTS", default=False)
    capacity = models.PositiveSmallIntegerField("nombre de patients", default=1)
    booked = models.PositiveSmallIntegerField("patients pris", default=0)
    shared = models.BooleanField(
        "partagé avec la régulation",
        default=False,
        help_text="Visible des régulateur·rices et de la plateforme nationale.",
    )
    rota_cpts = models.ForeignKey(
        "cpts.Cpts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sas_rota_slots",
        verbose_name="tour de garde de la CPTS",
    )
    source = models.CharField("origine", max_length=10, choices=Source.choices, default="entry")
    external_uid = models.CharField(
        "identifiant dans l'agenda d'origine", max_length=255, blank=True
    )
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "créneau"
        verbose_name_plural = "créneaux"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="sas_slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="sas_slot_capacity_positive"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="sas_slot_never_overbooked"
            ),
            models.UniqueConstraint(
                fields=["effector", "external_uid"],
                condition=~Q(external_uid=""),
                name="sas_slot_unique_external_uid",
            ),
        ]
        indexes = [
            models.Index(fields=["effector", "start"], name="sas_slot_effector_start"),
            # Regulators' search and the FHIR interface read only free, shared slots.
            models.Index(
                fields=["start"],
                condition=Q(shared=True, cancelled_at__isnull=True, booked__lt=F("capacity")),
                name="sas_slot_offered_start",
            ),
            # Regulators' search: the offered slots of the sites near the patient, by start.
            models.Index(
                fields=["site", "start"],
                condition=Q(shared=True, cancelled_at__isnull=True, booked__lt=F("capacity")),
                name="sas_slot_offered_site_start",
            ),
        ]

    def __str__(self):
        return f"{self.effector} — {timezone.localtime(self.start):%d/%m/%Y %H:%M}"

    @property
    def types(self) -> list[str]:
        flags = (
            (SlotType.PUBLIC, self.type_public),
            (SlotType.PRO, self.type_pro),
            (SlotType.SNP, self.type_snp),
            (SlotType.CPTS, self.type_cpts),
        )
        return [code.value for code, on in flags if on]

    @property
    def is_free(self) -> bool:
        return self.cancelled_at is None and self.booked < self.capacity


class CareRequest(models.Model):
    """A call handled by the regulation: no identity, only what the indicators need.

    Purged after the retention period (`manage.py sas_purge`).
    """

    class AgeBand(models.TextChoices):
        CHILD = "0-5", "0 à 5 ans"
        MINOR = "6-17", "6 à 17 ans"
        ADULT = "18-59", "18 à 59 ans"
        SENIOR = "60-74", "60 à 74 ans"
        ELDER = "75+", "75 ans et plus"

    class Reason(models.TextChoices):
        FEVER = "fever", "Fièvre, infection"
        PAIN = "pain", "Douleur"
        TRAUMA = "trauma", "Traumatisme léger"
        RESPIRATORY = "respiratory", "Symptômes respiratoires"
        SKIN = "skin", "Problème cutané"
        PRESCRIPTION = "prescription", "Renouvellement, certificat"
        MENTAL = "mental", "Santé mentale"
        OTHER = "other", "Autre motif"

    class Outcome(models.TextChoices):
        PENDING = "pending", "En cours"
        BOOKED = "booked", "Rendez-vous pris"
        ADVICE = "advice", "Conseil médical"
        EMERGENCY = "emergency", "Orienté vers les urgences"
        NO_SLOT = "no_slot", "Aucun créneau trouvé"

    region = models.ForeignKey(
        "geography.Region", on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    regulator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="régulateur·rice",
    )
    called_at = models.DateTimeField("heure de l'appel")
    commune = models.ForeignKey(
        "geography.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune du patient",
    )
    age_band = models.CharField("tranche d'âge", max_length=5, choices=AgeBand.choices)
    reason = models.CharField("motif", max_length=20, choices=Reason.choices)
    outcome = models.CharField(
        "issue", max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "demande de soins"
        verbose_name_plural = "demandes de soins"
        ordering = ["-called_at"]
        indexes = [models.Index(fields=["region", "called_at"], name="sas_request_region_called")]

    def __str__(self):
        return f"Demande du {timezone.localtime(self.called_at):%d/%m/%Y %H:%M}"


class ApiClient(models.Model):
    """A client of the FHIR interface (the national platform, a test client). Its secret
    token is shown once by `manage.py sas_api_client NAME` and stored hashed."""

    name = models.CharField("nom", max_length=100, unique=True)
    token_prefix = models.CharField("début du jeton", max_length=8, editable=False)
    token_hash = models.CharField(max_length=128, editable=False)
    active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernier usage", null=True, blank=True)

    class Meta:
        verbose_name = "client de l'interface FHIR"
        verbose_name_plural = "clients de l'interface FHIR"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Appointment(models.Model):
    """A booking in a slot (or beyond published slots, "surnuméraire") on a patient's
    behalf, by a regulator in the application or through the FHIR interface."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Réservé"
        CANCELLED = "cancelled", "Annulé"
        FULFILLED = "fulfilled", "Honoré"
        NOSHOW = "noshow", "Patient absent"

    identifier = models.CharField(
        "identifiant", max_length=100, unique=True, help_text="Identifiant métier (FHIR)."
    )
    # The FHIR interface: the assigning authority (Identifier.system) the client sent with
    # `identifier`, given back in the Appointment and matched by conditional updates.
    identifier_system = models.CharField(
        "autorité d'affectation de l'identifiant", max_length=200, blank=True
    )
    effector = models.ForeignKey(
        Effector, on_delete=models.PROTECT, related_name="appointments", verbose_name="effecteur"
    )
    slot = models.ForeignKey(
        Slot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="créneau",
    )
    extra = models.BooleanField(
        "surnuméraire", default=False, help_text="Pris au-delà des créneaux publiés."
    )
    care_request = models.ForeignKey(
        CareRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="demande de soins",
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default="booked")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réservé par",
    )
    api_client = models.ForeignKey(
        ApiClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="client FHIR",
    )
    # The regulator named by the FHIR request (operator): their RPPS and name, as sent.
    # An IDNPS ("8" + RPPS, or "3456780581/11242343"-like) or the national platform's
    # technical UUID (INTRN) for a regulator without a national identifier.
    operator_identifier = models.CharField("identifiant du régulateur", max_length=64, blank=True)
    operator_identifier_kind = models.CharField(
        "type d'identifiant du régulateur", max_length=5, blank=True, help_text="IDNPS ou INTRN."
    )
    operator_name = models.CharField("régulateur", max_length=200, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot__isnull=False) | Q(extra=True),
                name="sas_appointment_in_a_slot_or_extra",
            ),
        ]
        indexes = [models.Index(fields=["effector", "start"], name="sas_appt_effector_start")]

    def __str__(self):
        return f"Rendez-vous {self.identifier}"


class SearchRadius(models.Model):
    """The federation's override of the national search radii of a department (the defaults
    are in `interurps.analytics.sas_search.DEFAULT_RADII`, from the ANS table)."""

    department = models.OneToOneField(
        "geography.Department",
        on_delete=models.CASCADE,
        related_name="sas_search_radius",
        verbose_name="département",
    )
    default_km = models.FloatField("rayon par défaut (km)")
    enlargement_km = models.FloatField("élargissement (km)")

    class Meta:
        verbose_name = "rayon de recherche SAS"
        verbose_name_plural = "rayons de recherche SAS"

    def __str__(self):
        return f"{self.department} : {self.default_km:g} km"
