"""Patient flows between communes and the territories proposed from them.

A flow set (named, per region) holds commune-to-commune counts; a proposal is one run of
a method over a department or a region with its constraints; its territories keep their
communes, figures and outline as computed then (the CPTS and EPCI compared with them are
recomputed on the same flows when shown).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Region
from interurps.organizations.models import Profession


class FlowSet(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="flow_sets", verbose_name="région"
    )
    name = models.CharField("nom", max_length=200)
    source = models.CharField(
        "source", max_length=200, help_text="Par exemple « Assurance Maladie, SNDS »."
    )
    year = models.PositiveSmallIntegerField("année")
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="profession",
        help_text="Vide : toutes professions.",
    )
    synthetic = models.BooleanField("données synthétiques", default=False)
    pair_count = models.PositiveIntegerField("couples de communes", default=0, editable=False)
    total = models.PositiveBigIntegerField("total des flux", default=0, editable=False)
    loaded_at = models.DateTimeField("chargé le", auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chargé par",
    )

    unique_messages = {("region", "name"): "Un jeu de flux porte déjà ce nom dans cette région."}

    class Meta:
        verbose_name = "jeu de flux"
        verbose_name_plural = "jeux de flux"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_flow_set_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self):
        return reverse("flows:flow_set", args=[self.pk])

    @property
    def profession_label(self) -> str:
        return self.profession.label if self.profession_id else "Toutes professions"


class Flow(models.Model):
    """Residents of `origin` cared for in `destination`, `count` times (municipal
    districts are folded into their city)."""

    flow_set = models.ForeignKey(
        FlowSet, on_delete=models.CASCADE, related_name="flows", verbose_name="jeu de flux"
    )
    origin = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name="commune de résidence"
    )
    destination = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name="commune de soins"
    )
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="profession",
    )
    count = models.PositiveIntegerField("nombre")

    class Meta:
        verbose_name = "flux"
        verbose_name_plural = "flux"
        indexes = [
            models.Index(fields=["flow_set", "origin"], name="flow_set_origin"),
            models.Index(fields=["flow_set", "destination"], name="flow_set_destination"),
        ]

    def __str__(self):
        return f"{self.origin_id} → {self.destination_id} : {self.count}"


class TerritoryProposal(models.Model):
    class Method(models.TextChoices):
        LEIDEN = "leiden", "Détection de communautés (Leiden)"
        PLURALITY = "plurality", "Rattachement au pôle principal (flux dominants)"

    class Scope(models.TextChoices):
        DEPARTMENT = "department", "Département"
        REGION = "region", "Région"

    flow_set = models.ForeignKey(
        FlowSet, on_delete=models.CASCADE, related_name="proposals", verbose_name="jeu de flux"
    )
    run = models.CharField(
        "calcul", max_length=32, db_index=True, help_text="Propositions calculées ensemble."
    )
    method = models.CharField("méthode", max_length=20, choices=Method.choices)
    scope = models.CharField("périmètre", max_length=20, choices=Scope.choices)
    area_code = models.CharField("code du périmètre", max_length=3)
    area_name = models.CharField("périmètre", max_length=100)
    within = models.CharField(
        "territoires à l'intérieur d'un même", max_length=20, choices=Scope.choices
    )
    min_population = models.PositiveIntegerField("population minimale", null=True, blank=True)
    max_population = models.PositiveIntegerField("population maximale", null=True, blank=True)
    contiguous = models.BooleanField("territoires d'un seul tenant", default=True)
    keep_cpts = models.BooleanField("CPTS existantes conservées", default=True)
    seed = models.PositiveIntegerField("graine", default=0)
    detected = models.PositiveIntegerField("communautés détectées avant contraintes", default=0)
    summary = models.JSONField("qualité d'ensemble", default=dict, blank=True)
    unmet = models.JSONField("contraintes non satisfaites", default=list, blank=True)
    created_at = models.DateTimeField("calculée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="calculée par",
    )

    class Meta:
        verbose_name = "proposition de territoires"
        verbose_name_plural = "propositions de territoires"
        ordering = ["-created_at", "method"]

    def __str__(self):
        return f"{self.get_method_display()} — {self.area_name}"

    def get_absolute_url(self):
        return reverse("flows:proposal", args=[self.pk])

    @property
    def region(self):
        return self.flow_set.region


class ProposedTerritory(models.Model):
    proposal = models.ForeignKey(
        TerritoryProposal,
        on_delete=models.CASCADE,
        related_name="territories",
        verbose_name="proposition",
    )
    number = models.PositiveIntegerField("numéro")
    name = models.CharField("nom", max_length=200)
    communes = models.JSONField("communes (codes INSEE)", default=list, blank=True)
    population = models.PositiveIntegerField("population", default=0)
    commune_count = models.PositiveIntegerField("nombre de communes", default=0)
    self_containment = models.FloatField("autonomie (part des flux des résidents restant)")
    attraction = models.FloatField("attractivité (part des flux reçus venant de l'extérieur)")
    modularity = models.FloatField("contribution à la modularité")
    existing_cpts = models.ForeignKey(
        Cpts,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CPTS existante conservée",
    )
    adopted_cpts = models.ForeignKey(
        Cpts,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CPTS créée à partir de ce territoire",
    )
    geometry = models.TextField("contour (GeoJSON)", blank=True)

    class Meta:
        verbose_name = "territoire proposé"
        verbose_name_plural = "territoires proposés"
        ordering = ["proposal", "number"]

    def __str__(self):
        return self.name
