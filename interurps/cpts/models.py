from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from interurps.analytics import aci
from interurps.cpts import rules
from interurps.geography.models import Commune, Department, Region
from interurps.organizations.models import Profession

StageChoices = models.TextChoices(
    "StageChoices",
    [(stage.name, (stage.value, rules.STAGE_LABELS[stage])) for stage in rules.Stage],
)


class Cpts(models.Model):
    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", "Association loi 1901"
        OTHER = "autre", "Autre forme"
        NONE = "aucune", "Pas encore de structure juridique"

    name = models.CharField("nom", max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cpts", verbose_name="région"
    )
    main_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="cpts",
        verbose_name="département principal",
    )
    legal_form = models.CharField(
        "forme juridique", max_length=20, choices=LegalForm.choices, default=LegalForm.NONE
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", "Le SIRET compte 14 chiffres.")],
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^W\d{9}$", "Le numéro RNA s'écrit W suivi de 9 chiffres.")],
    )
    address = models.TextField("adresse", blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    website = models.URLField("site web", blank=True)
    stage = models.CharField(
        "étape", max_length=40, choices=StageChoices.choices, default=rules.Stage.EMERGENCE
    )
    aci_signed_on = models.DateField("date de signature de l'ACI", null=True, blank=True)
    communes = models.ManyToManyField(
        Commune, related_name="cpts", blank=True, verbose_name="territoire"
    )
    population = models.PositiveIntegerField(
        "population du territoire",
        default=0,
        editable=False,
        help_text="Calculée à partir des communes du territoire.",
    )
    geometry = models.TextField("contour du territoire (GeoJSON)", blank=True, editable=False)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_cpts",
        verbose_name="suivie par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    unique_messages = {("region", "name"): "Une CPTS porte déjà ce nom dans cette région."}

    class Meta:
        verbose_name = "CPTS"
        verbose_name_plural = "CPTS"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_cpts_name_per_region")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cpts:detail", args=[self.pk])

    @property
    def size_category(self) -> int:
        return aci.size_category(self.population)

    @property
    def stage_label(self) -> str:
        return rules.label(self.stage)

    @property
    def stage_color(self) -> str:
        return rules.STAGE_COLORS[rules.Stage(self.stage)]


class StageTransition(models.Model):
    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="transitions", verbose_name="CPTS"
    )
    stage = models.CharField("étape", max_length=40, choices=StageChoices.choices)
    occurred_on = models.DateField("date")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="saisie par",
    )
    recorded_at = models.DateTimeField("saisie le", auto_now_add=True)
    note = models.TextField("commentaire", blank=True)
    corrected_from = models.DateField("date avant correction", null=True, blank=True)
    correction_reason = models.TextField("motif de la correction", blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="corrigée par",
    )

    class Meta:
        verbose_name = "changement d'étape"
        verbose_name_plural = "changements d'étape"
        ordering = ["occurred_on", "id"]

    def __str__(self):
        return f"{self.cpts} — {rules.label(self.stage)} ({self.occurred_on:%d/%m/%Y})"

    @property
    def stage_label(self) -> str:
        return rules.label(self.stage)


MISSION_CHOICES = [(code, label) for code, label in aci.MISSION_LABELS.items()]


class Mission(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "non_demarree", "Non démarrée"
        STARTED = "en_cours", "En cours de déploiement"
        DEPLOYED = "deployee", "Déployée"

    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="missions", verbose_name="CPTS"
    )
    kind = models.CharField("mission", max_length=40, choices=MISSION_CHOICES)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    started_on = models.DateField("date de démarrage", null=True, blank=True)
    achievement = models.DecimalField(
        "taux d'atteinte des indicateurs",
        max_digits=4,
        decimal_places=3,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Entre 0 et 1 : part variable (actions et résultats) atteinte.",
    )

    class Meta:
        verbose_name = "mission"
        ordering = ["cpts", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cpts", "kind"], name="one_mission_of_a_kind")
        ]

    def __str__(self):
        return f"{self.cpts} — {self.get_kind_display()}"

    @property
    def is_core(self) -> bool:
        return self.kind in rules.CORE_MISSIONS


class MemberCount(models.Model):
    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="member_counts", verbose_name="CPTS"
    )
    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, verbose_name="profession")
    count = models.PositiveIntegerField("nombre d'adhérent·es")

    class Meta:
        verbose_name = "adhérent·es par profession"
        verbose_name_plural = "adhérent·es par profession"
        ordering = ["profession__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["cpts", "profession"], name="one_count_per_profession")
        ]

    def __str__(self):
        return f"{self.profession} : {self.count}"


class MemberStructure(models.Model):
    class Kind(models.TextChoices):
        MSP = "msp", "Maison de santé pluriprofessionnelle (MSP)"
        ESP = "esp", "Équipe de soins primaires (ESP)"
        HEALTH_CENTRE = "centre_sante", "Centre de santé"
        HOSPITAL = "hopital", "Établissement hospitalier"
        MEDICO_SOCIAL = "medico_social", "Structure médico-sociale"
        SOCIAL = "social", "Structure sociale"
        OTHER = "autre", "Autre"

    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="structures", verbose_name="CPTS"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    name = models.CharField("nom", max_length=200)
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="commune"
    )

    class Meta:
        verbose_name = "structure membre"
        verbose_name_plural = "structures membres"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class GovernanceMember(models.Model):
    class Role(models.TextChoices):
        PRESIDENT = "president", "Président·e"
        VICE_PRESIDENT = "vice_president", "Vice-président·e"
        TREASURER = "tresorier", "Trésorier·e"
        SECRETARY = "secretaire", "Secrétaire"
        BOARD = "administrateur", "Membre du conseil d'administration"

    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="governance", verbose_name="CPTS"
    )
    role = models.CharField("fonction", max_length=20, choices=Role.choices)
    full_name = models.CharField("nom", max_length=200)
    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, null=True, blank=True, verbose_name="profession"
    )

    class Meta:
        verbose_name = "membre de la gouvernance"
        verbose_name_plural = "gouvernance"
        ordering = ["role", "full_name"]

    def __str__(self):
        return f"{self.get_role_display()} : {self.full_name}"


class Coordinator(models.Model):
    class Employer(models.TextChoices):
        EMPLOYER_GROUP = "ge", "Groupement d'employeurs de la fédération"
        CPTS = "cpts", "La CPTS elle-même"

    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="coordinators", verbose_name="CPTS"
    )
    full_name = models.CharField("nom", max_length=200)
    employer = models.CharField("employeur", max_length=10, choices=Employer.choices)
    working_time_percent = models.PositiveSmallIntegerField(
        "temps de travail (%)",
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    email = models.EmailField("courriel", blank=True)

    class Meta:
        verbose_name = "coordinateur·rice"
        verbose_name_plural = "coordinateur·rices"
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


class SupportAction(models.Model):
    class Kind(models.TextChoices):
        MEETING = "reunion", "Réunion"
        WORKSHOP = "atelier", "Atelier"
        HEALTH_PROJECT = "projet_sante", "Écriture du projet de santé"
        TRAINING = "formation", "Formation"
        OTHER = "autre", "Autre"

    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="support_actions", verbose_name="CPTS"
    )
    occurred_on = models.DateField("date")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    description = models.TextField("description", blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chargé·e de mission",
    )

    class Meta:
        verbose_name = "action d'accompagnement"
        verbose_name_plural = "actions d'accompagnement"
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y}"


class AciContractYear(models.Model):
    """One year of the ACI contract the CPTS signed (« contrat tripartite » with the ARS and
    the CPAM): the fonctionnement amount of that contract year. The contract starts on the
    CPTS's ACI signature date (`Cpts.aci_signed_on`); year n runs from its (n-1)th
    anniversary. The national tables are only ceilings and defaults for these amounts."""

    cpts = models.ForeignKey(
        Cpts, on_delete=models.CASCADE, related_name="aci_contract_years", verbose_name="CPTS"
    )
    number = models.PositiveSmallIntegerField(
        "année du contrat",
        validators=[MinValueValidator(1), MaxValueValidator(aci.CONTRACT_YEARS_MAX)],
    )
    operating_amount = models.DecimalField(
        "fonctionnement (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = "année du contrat ACI"
        verbose_name_plural = "années du contrat ACI"
        ordering = ["cpts", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cpts", "number"], name="one_aci_contract_year")
        ]

    def __str__(self):
        return f"{self.cpts} — année {self.number} du contrat ACI"


class AciContractMission(models.Model):
    """A mission's amounts in one contract year, as signed, and the year's achievement of
    its indicators (empty until assessed)."""

    year = models.ForeignKey(
        AciContractYear,
        on_delete=models.CASCADE,
        related_name="missions",
        verbose_name="année du contrat",
    )
    mission = models.CharField("mission", max_length=40, choices=MISSION_CHOICES)
    fixed_amount = models.DecimalField(
        "part fixe (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    variable_amount = models.DecimalField(
        "part variable maximale (€)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    achievement_percent = models.DecimalField(
        "taux d'atteinte des indicateurs (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Vide tant que les indicateurs de l'année n'ont pas été évalués.",
    )

    class Meta:
        verbose_name = "mission du contrat ACI"
        verbose_name_plural = "missions du contrat ACI"
        ordering = ["year", "mission"]
        constraints = [
            models.UniqueConstraint(fields=["year", "mission"], name="one_aci_contract_mission")
        ]

    def __str__(self):
        return f"{self.year} — {self.get_mission_display()}"
