"""The CPOM (contrat pluriannuel d'objectifs et de moyens) between a federation and its ARS.

Themes → objectives → actions, indicators with yearly targets, and the funding lines of
the federation (CPOM lines and, outside the contract, the unions' own contributions).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from interurps.activities.models import Meeting
from interurps.cpts.models import Cpts
from interurps.events.models import Event
from interurps.organizations.models import Federation, Partner

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
PERCENT_UNITS = {"%", "pourcentage", "pour cent", "pourcent"}


class Contract(models.Model):
    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="contracts", verbose_name="fédération"
    )
    title = models.CharField("intitulé", max_length=250)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name="signataire (ARS)",
    )
    start_year = models.PositiveSmallIntegerField("première année", validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField("dernière année", validators=YEAR_VALIDATORS)
    signed_on = models.DateField("signé le", null=True, blank=True)
    description = models.TextField("présentation", blank=True)

    class Meta:
        verbose_name = "CPOM"
        verbose_name_plural = "CPOM"
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="cpom_years_in_order"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cpom:contract_detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def in_force(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Amendment(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="amendments", verbose_name="CPOM"
    )
    signed_on = models.DateField("signé le")
    summary = models.TextField("objet de l'avenant")

    class Meta:
        verbose_name = "avenant"
        ordering = ["signed_on", "id"]

    def __str__(self):
        return f"Avenant du {self.signed_on:%d/%m/%Y}"


class Theme(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="themes", verbose_name="CPOM"
    )
    order = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=250)

    class Meta:
        verbose_name = "thématique"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "order"], name="unique_theme_order")
        ]

    def __str__(self):
        return f"Thématique {self.order} — {self.title}"


class Objective(models.Model):
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="objectives", verbose_name="thématique"
    )
    order = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=500)
    description = models.TextField("présentation", blank=True)

    class Meta:
        verbose_name = "objectif"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "order"], name="unique_objective_order")
        ]

    def __str__(self):
        return self.title


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "a_venir", "À venir"
        IN_PROGRESS = "en_cours", "En cours"
        DONE = "realisee", "Réalisée"
        ABANDONED = "abandonnee", "Abandonnée"

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name="objectif"
    )
    title = models.CharField("intitulé", max_length=500)
    description = models.TextField("présentation", blank=True)
    owner = models.CharField("pilote", max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pilote (compte)",
    )
    partners = models.TextField("partenaires", blank=True)
    planned_start = models.DateField("début prévu", null=True, blank=True)
    planned_end = models.DateField("fin prévue", null=True, blank=True)
    status = models.CharField(
        "état d'avancement", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    flagship = models.BooleanField("action phare", default=False)
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="cpom_actions", verbose_name="réunions"
    )
    events = models.ManyToManyField(
        Event, blank=True, related_name="cpom_actions", verbose_name="événements"
    )
    cpts = models.ManyToManyField(
        Cpts, blank=True, related_name="cpom_actions", verbose_name="CPTS"
    )

    class Meta:
        verbose_name = "action"
        ordering = ["-flagship", "planned_start", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cpom:action_detail", args=[self.pk])

    @property
    def contract(self) -> Contract:
        return self.objective.theme.contract


class Indicator(models.Model):
    class Direction(models.TextChoices):
        UP = "hausse", "À la hausse (plus c'est haut, mieux c'est)"
        DOWN = "baisse", "À la baisse (plus c'est bas, mieux c'est)"

    MANUAL = "manuel"

    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="objectif",
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="action",
    )
    title = models.CharField("indicateur", max_length=250)
    definition = models.TextField("définition", blank=True)
    unit = models.CharField("unité", max_length=50, blank=True, help_text="Par exemple « CPTS ».")
    baseline = models.DecimalField("valeur de départ", max_digits=14, decimal_places=2, default=0)
    direction = models.CharField(
        "sens attendu", max_length=10, choices=Direction.choices, default=Direction.UP
    )
    computation = models.CharField(
        "mode de calcul",
        max_length=60,
        default=MANUAL,
        help_text="Saisie manuelle des mesures, ou calcul automatique à partir des données.",
    )

    class Meta:
        verbose_name = "indicateur"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=False, action__isnull=True)
                | Q(objective__isnull=True, action__isnull=False),
                name="indicator_has_one_parent",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cpom:indicator_detail", args=[self.pk])

    @property
    def is_automatic(self) -> bool:
        return self.computation != self.MANUAL

    @property
    def is_percentage(self) -> bool:
        """Values and targets are percentages (unit « % »): pages print them with « % »."""
        return self.unit.strip().lower() in PERCENT_UNITS

    @property
    def owning_objective(self) -> Objective:
        return self.objective if self.objective_id else self.action.objective

    @property
    def contract(self) -> Contract:
        return self.owning_objective.theme.contract


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    value = models.DecimalField("cible", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "cible annuelle"
        verbose_name_plural = "cibles annuelles"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")
        ]

    def __str__(self):
        return f"{self.year} : {self.value}"


class Measurement(models.Model):
    """A value of an indicator on a date.

    Manual indicators are measured by hand. Automatic ones are computed on the fly from
    the records; a measurement of an automatic indicator exists only when staff froze
    the year's value (source « calcul automatique »), and then it wins over the live
    computation, so that a closed year keeps the figure that was reported.
    """

    AUTOMATIC_SOURCE = "calcul automatique"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name="indicateur"
    )
    measured_on = models.DateField("date de la mesure")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=250, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    entered_at = models.DateTimeField("saisie le", auto_now_add=True)

    class Meta:
        verbose_name = "mesure"
        ordering = ["-measured_on", "-id"]

    def __str__(self):
        return f"{self.value} au {self.measured_on:%d/%m/%Y}"


class FundingSource(models.TextChoices):
    ARS = "ars_fir", "ARS (FIR)"
    UNIONS = "cotisations_urps", "Cotisations des URPS"
    HEALTH_INSURANCE = "assurance_maladie", "Assurance Maladie"
    OTHER = "autre", "Autre"


class FundingLine(models.Model):
    """Money allocated to the federation for a year: a CPOM line, or outside the contract
    (the unions' contributions, for instance)."""

    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="funding_lines",
        verbose_name="fédération",
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_lines",
        verbose_name="CPOM",
        help_text="Laissé vide pour un financement hors CPOM (cotisations des URPS…).",
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    source = models.CharField("origine", max_length=30, choices=FundingSource.choices)
    label = models.CharField("objet", max_length=250)
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_lines",
        verbose_name="action financée",
    )

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["-year", "-amount", "label"]
        indexes = [models.Index(fields=["federation", "year"])]

    def __str__(self):
        return f"{self.label} ({self.year})"

    def get_absolute_url(self):
        return reverse("cpom:funding_line_detail", args=[self.pk])


class Spending(models.Model):
    funding_line = models.ForeignKey(
        FundingLine,
        on_delete=models.CASCADE,
        related_name="spendings",
        verbose_name="ligne de financement",
    )
    spent_on = models.DateField("date")
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    label = models.CharField("objet", max_length=250)

    class Meta:
        verbose_name = "dépense"
        ordering = ["-spent_on", "-id"]

    def __str__(self):
        return f"{self.label} ({self.amount} €)"
