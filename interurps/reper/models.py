"""REPER (Repérage des PERsonnes âgées à domicile), on the WHO ICOPE approach: people aged
60 and over followed by liberal professionals of a CPTS of the programme, their step-1
screenings, step-2 assessments, care plans and follow-up.

Only the minimum is stored in clear (a pseudonymous identifier, birth year, sex, commune,
consent); the identity is encrypted at rest (django-fernet-encrypted-fields, keys from
`IDENTITY_ENCRYPTION_KEYS`) and every read of a person's record is logged.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from encrypted_fields.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField

# The six ICOPE domains, in the order the WHO handbook lists them.
DOMAINS = ("cognition", "mobility", "nutrition", "vision", "hearing", "mood")


class Domain(models.TextChoices):
    COGNITION = "cognition", "Cognition"
    MOBILITY = "mobility", "Mobilité"
    NUTRITION = "nutrition", "Nutrition"
    VISION = "vision", "Vision"
    HEARING = "hearing", "Audition"
    MOOD = "mood", "Humeur"


IDENTITY_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "phone",
    "email",
    "address",
    "treating_physician",
)


def new_pseudonym() -> str:
    return f"R-{secrets.token_hex(4).upper()}"


class ProgrammeCpts(models.Model):
    """A CPTS that runs REPER: people are followed only in the communes of these CPTS."""

    cpts = models.OneToOneField(
        "cpts.Cpts",
        on_delete=models.CASCADE,
        related_name="reper_programme",
        verbose_name="CPTS",
    )
    since = models.DateField("dans le programme depuis le")

    class Meta:
        verbose_name = "CPTS du programme REPER"
        verbose_name_plural = "CPTS du programme REPER"
        ordering = ["cpts__name"]

    def __str__(self):
        return str(self.cpts)


class Person(models.Model):
    """A person aged 60 or over living at home, followed in the programme."""

    class Sex(models.TextChoices):
        FEMALE = "F", "Femme"
        MALE = "M", "Homme"

    class ConsentScope(models.TextChoices):
        FOLLOW_UP = "follow_up", "Repérage et suivi"
        FOLLOW_UP_AND_EVALUATION = (
            "follow_up_evaluation",
            "Repérage, suivi et évaluation pseudonymisée du programme",
        )

    pseudonym = models.CharField(
        "identifiant pseudonyme", max_length=12, unique=True, default=new_pseudonym, editable=False
    )
    cpts = models.ForeignKey(
        "cpts.Cpts", on_delete=models.PROTECT, related_name="reper_people", verbose_name="CPTS"
    )
    birth_year = models.PositiveSmallIntegerField("année de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    commune = models.ForeignKey(
        "geography.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    consent_on = models.DateField("consentement recueilli le")
    consent_scope = models.CharField(
        "portée du consentement", max_length=30, choices=ConsentScope.choices
    )
    consent_withdrawn_on = models.DateField("consentement retiré le", null=True, blank=True)
    identity_erased_on = models.DateField("identité effacée le", null=True, blank=True)

    # Identity: encrypted at rest, shown only to the professionals who follow the person
    # and to their CPTS's coordinator. Nullable: the library stores an empty value as NULL.
    last_name = EncryptedCharField("nom", max_length=100, blank=True, null=True)
    first_name = EncryptedCharField("prénom", max_length=100, blank=True, null=True)
    birth_date = EncryptedDateField("date de naissance", null=True, blank=True)
    phone = EncryptedCharField("téléphone", max_length=30, blank=True, null=True)
    email = EncryptedCharField("adresse électronique", max_length=254, blank=True, null=True)
    address = EncryptedTextField("adresse", blank=True, null=True)
    treating_physician = EncryptedCharField(
        "médecin traitant", max_length=200, blank=True, null=True
    )

    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    class Meta:
        verbose_name = "personne suivie"
        verbose_name_plural = "personnes suivies"
        ordering = ["pseudonym"]

    def __str__(self):
        return self.pseudonym

    @property
    def consent_active(self) -> bool:
        return self.consent_withdrawn_on is None


class FollowUp(models.Model):
    """A professional of the registry who follows the person (and so may read them)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="personne"
    )
    professional = models.ForeignKey(
        "professionals.Professional",
        on_delete=models.PROTECT,
        related_name="reper_follow_ups",
        verbose_name="professionnel·le",
    )
    since = models.DateField("depuis le")
    until = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "suivi par un·e professionnel·le"
        verbose_name_plural = "suivis par des professionnel·les"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "professional"],
                condition=Q(until__isnull=True),
                name="reper_one_open_follow_up_per_professional",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.professional}"


class Screening(models.Model):
    """A step-1 ICOPE screening: the answers as given (the `icope_screen` JSON shape) and
    the positive domains decided by `interurps.analytics.icope`."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="screenings", verbose_name="personne"
    )
    professional = models.ForeignKey(
        "professionals.Professional",
        on_delete=models.PROTECT,
        related_name="reper_screenings",
        verbose_name="réalisé par",
    )
    screened_on = models.DateField("date du repérage")
    answers = models.JSONField("réponses")
    cognition_positive = models.BooleanField("cognition", default=False)
    mobility_positive = models.BooleanField("mobilité", default=False)
    nutrition_positive = models.BooleanField("nutrition", default=False)
    vision_positive = models.BooleanField("vision", default=False)
    hearing_positive = models.BooleanField("audition", default=False)
    mood_positive = models.BooleanField("humeur", default=False)
    positive_count = models.PositiveSmallIntegerField("domaines positifs", default=0)
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    class Meta:
        verbose_name = "repérage (étape 1)"
        verbose_name_plural = "repérages (étape 1)"
        ordering = ["-screened_on", "-pk"]
        indexes = [models.Index(fields=["person", "screened_on"], name="reper_screening_person")]

    def __str__(self):
        return f"Repérage du {self.screened_on:%d/%m/%Y} ({self.person})"

    @property
    def positive_domains(self) -> list[str]:
        return [d for d in DOMAINS if getattr(self, f"{d}_positive")]


class Assessment(models.Model):
    """A step-2 in-depth assessment of one domain, opened by a positive step 1."""

    class Status(models.TextChoices):
        TO_DO = "to_do", "À réaliser"
        DONE = "done", "Réalisée"
        CANCELLED = "cancelled", "Annulée"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="assessments", verbose_name="personne"
    )
    screening = models.ForeignKey(
        Screening,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name="repérage d'origine",
    )
    domain = models.CharField("domaine", max_length=10, choices=Domain.choices)
    due_on = models.DateField("à réaliser avant le")
    assigned_to = models.ForeignKey(
        "professionals.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reper_assessments",
        verbose_name="confiée à",
    )
    status = models.CharField("statut", max_length=10, choices=Status.choices, default="to_do")
    done_on = models.DateField("réalisée le", null=True, blank=True)
    tool = models.CharField("outil", max_length=20, blank=True)
    score = models.DecimalField("score", max_digits=6, decimal_places=2, null=True, blank=True)
    abnormal = models.BooleanField("anormal (sous le seuil)", null=True, blank=True)
    band = models.CharField("interprétation", max_length=60, blank=True)
    details = models.JSONField("items", default=dict, blank=True)
    cancelled_on = models.DateField("annulée le", null=True, blank=True)
    cancel_reason = models.TextField("motif d'annulation", blank=True)

    class Meta:
        verbose_name = "évaluation approfondie (étape 2)"
        verbose_name_plural = "évaluations approfondies (étape 2)"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="reper_assessment_due")]

    def __str__(self):
        return f"{self.get_domain_display()} — {self.person}"


class CarePlan(models.Model):
    """The personalised plan that follows the assessments."""

    class Status(models.TextChoices):
        ACTIVE = "active", "En cours"
        CLOSED = "closed", "Clos"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="care_plans", verbose_name="personne"
    )
    created_on = models.DateField("établi le")
    goals = models.TextField("objectifs")
    referred_to_physician = models.BooleanField("adressé au médecin traitant", default=False)
    referral_note = models.TextField("motif de l'adressage", blank=True)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default="active")
    last_reviewed_on = models.DateField("dernier point de suivi le", null=True, blank=True)
    review_note = models.TextField("note du dernier point de suivi", blank=True)
    closed_on = models.DateField("clos le", null=True, blank=True)
    created_by = models.ForeignKey(
        "professionals.Professional",
        on_delete=models.PROTECT,
        related_name="reper_care_plans",
        verbose_name="établi par",
    )

    class Meta:
        verbose_name = "plan de soins personnalisé"
        verbose_name_plural = "plans de soins personnalisés"
        ordering = ["-created_on"]

    def __str__(self):
        return f"Plan du {self.created_on:%d/%m/%Y} ({self.person})"


class PlanAction(models.Model):
    """An intervention of the plan: who does what, by when."""

    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="actions", verbose_name="plan"
    )
    domain = models.CharField("domaine", max_length=10, choices=Domain.choices, blank=True)
    description = models.TextField("intervention")
    responsible = models.ForeignKey(
        "professionals.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reper_plan_actions",
        verbose_name="réalisée par",
    )
    responsible_label = models.CharField(
        "ou réalisée par (hors répertoire)",
        max_length=120,
        blank=True,
        help_text="Médecin traitant, aide à domicile, famille…",
    )
    due_on = models.DateField("échéance", null=True, blank=True)
    done_on = models.DateField("réalisée le", null=True, blank=True)

    class Meta:
        verbose_name = "intervention du plan"
        verbose_name_plural = "interventions du plan"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description[:60]


class PersonRead(models.Model):
    """Who read a person's record, when and what: shown on the record itself."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="reads", verbose_name="personne"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="lu par",
    )
    read_at = models.DateTimeField("le", auto_now_add=True)
    what = models.CharField("quoi", max_length=100)

    class Meta:
        verbose_name = "lecture d'une fiche"
        verbose_name_plural = "lectures des fiches"
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["person", "read_at"], name="reper_read_person")]

    def __str__(self):
        return f"{self.person} lu le {self.read_at:%d/%m/%Y %H:%M}"
