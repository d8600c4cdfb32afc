from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from interurps.geography.models import Commune
from interurps.organizations.models import Profession
from interurps.professionals import rules


class Source(models.TextChoices):
    ANNUAIRE = rules.SOURCE_ANNUAIRE, "Annuaire Santé (ANS)"
    SYNTHETIC = rules.SOURCE_SYNTHETIC, "Données synthétiques"


class IdentifierKind(models.TextChoices):
    RPPS = rules.KIND_RPPS, "RPPS"
    ADELI = rules.KIND_ADELI, "ADELI"
    SYNTHETIC = rules.KIND_SYNTHETIC, "Identifiant fictif"


class PracticeMode(models.TextChoices):
    LIBERAL = rules.MODE_LIBERAL, "Libéral"
    SALARIED = rules.MODE_SALARIED, "Salarié"
    MIXED = rules.MODE_MIXED, "Mixte"


class SiteMode(models.TextChoices):
    LIBERAL = rules.SITE_LIBERAL, "Libéral"
    SALARIED = rules.SITE_SALARIED, "Salarié"


class Professional(models.Model):
    """A health professional of one of the ten URPS professions.

    Records come from the Annuaire Santé open extraction (source "annuaire") or from the
    synthetic generator used for demos and benchmarks (source "synthetique").
    """

    identifier = models.CharField("identifiant (RPPS ou ADELI)", max_length=20, unique=True)
    identifier_kind = models.CharField(
        "type d'identifiant", max_length=12, choices=IdentifierKind.choices
    )
    last_name = models.CharField("nom d'exercice", max_length=100)
    first_name = models.CharField("prénom d'exercice", max_length=100, blank=True)
    search_name = models.CharField(max_length=210, db_index=True, editable=False)
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        related_name="professionals",
        verbose_name="profession",
    )
    specialty = models.CharField(
        "spécialité",
        max_length=150,
        blank=True,
        help_text="Savoir-faire principal, pour les médecins (« Médecine générale »…).",
    )
    practice_mode = models.CharField(
        "mode d'exercice",
        max_length=10,
        choices=PracticeMode.choices,
        blank=True,
        help_text="Déduit des lieux d'exercice.",
    )
    active = models.BooleanField(
        "en activité",
        default=True,
        db_index=True,
        help_text="Faux quand le professionnel a disparu du dernier fichier importé.",
    )
    source = models.CharField("source", max_length=12, choices=Source.choices, db_index=True)
    activity_start = models.DateField("début d'activité", null=True, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "professionnel de santé"
        verbose_name_plural = "professionnels de santé"
        ordering = ["last_name", "first_name", "identifier"]
        indexes = [models.Index(fields=["profession", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(identifier__startswith=rules.SYNTHETIC_PREFIX)
                | Q(source=rules.SOURCE_SYNTHETIC),
                name="synthetic_identifier_only_for_synthetic_source",
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self):
        return reverse("professionals:detail", args=[self.pk])

    def clean(self):
        error = rules.identifier_error(self.identifier, self.identifier_kind, self.source)
        if error:
            raise ValidationError({"identifier": error})


class PracticeSite(models.Model):
    """A place where a professional practises (one activity line of the Annuaire Santé)."""

    professional = models.ForeignKey(
        Professional, on_delete=models.CASCADE, related_name="sites", verbose_name="professionnel"
    )
    structure_name = models.CharField("structure", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_sites",
        verbose_name="commune",
        help_text="Vide quand le code commune du fichier est absent ou inconnu.",
    )
    mode = models.CharField("mode d'exercice", max_length=10, choices=SiteMode.choices)
    site_identifier = models.CharField("identifiant de la structure", max_length=50, blank=True)

    class Meta:
        verbose_name = "lieu d'exercice"
        verbose_name_plural = "lieux d'exercice"
        ordering = ["pk"]
        indexes = [models.Index(fields=["commune", "mode"])]

    def __str__(self):
        return self.structure_name or self.address or f"Lieu {self.pk}"


class RegistryImport(models.Model):
    """One filling of the registry: an Annuaire Santé import or a synthetic generation.

    It dates the data shown in diagnostics and tells which part of France the registry
    covers: an Annuaire Santé extraction is national (`region` empty), a synthetic
    generation covers one region.
    """

    source = models.CharField("source", max_length=12, choices=Source.choices, db_index=True)
    region = models.ForeignKey(
        "geography.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registry_imports",
        verbose_name="région couverte",
        help_text="Vide pour une extraction nationale (Annuaire Santé).",
    )
    data_date = models.DateField(
        "date des données",
        null=True,
        blank=True,
        help_text="Date d'extraction de l'Annuaire Santé, ou de génération des données "
        "synthétiques ; vide quand le nom du fichier ne la donne pas.",
    )
    imported_at = models.DateTimeField("importé le", default=timezone.now)
    file_name = models.CharField("fichier", max_length=255, blank=True)
    professionals = models.PositiveIntegerField("professionnels actifs après l'import", default=0)

    class Meta:
        verbose_name = "import du registre"
        verbose_name_plural = "imports du registre"
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.get_source_display()} — {self.imported_at:%Y-%m-%d}"
