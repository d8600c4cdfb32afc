import json

from django.db import models
from django.urls import reverse


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    normalized_name = models.CharField(max_length=100, db_index=True, editable=False)
    population = models.PositiveIntegerField("population municipale", default=0)
    geometry = models.TextField("contour (GeoJSON simplifié)", blank=True)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("geography:region_detail", args=[self.code])


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    normalized_name = models.CharField(max_length=100, db_index=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région"
    )
    population = models.PositiveIntegerField("population municipale", default=0)
    geometry = models.TextField("contour (GeoJSON simplifié)", blank=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("geography:department_detail", args=[self.code])


class Epci(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "COM", "Commune"
        MUNICIPAL_DISTRICT = "ARM", "Arrondissement municipal"

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    kind = models.CharField("type", max_length=3, choices=Kind.choices, default=Kind.COMMUNE)
    name = models.CharField("nom", max_length=100)
    normalized_name = models.CharField(max_length=100, db_index=True, editable=False)
    population = models.PositiveIntegerField(
        "population municipale",
        null=True,
        blank=True,
        help_text="Vide quand l'INSEE ne l'a pas encore publiée (Mayotte, communes nouvelles).",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name="EPCI",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name="commune de rattachement",
        help_text="Pour les arrondissements municipaux de Paris, Lyon et Marseille.",
    )
    latitude = models.FloatField("latitude du centroïde", null=True, blank=True)
    longitude = models.FloatField("longitude du centroïde", null=True, blank=True)
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)
    geometry = models.TextField("contour (GeoJSON)", blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "code"]
        indexes = [
            models.Index(fields=["department", "kind"]),
            # The communes around a territory (diagnostics' accessibility buffer).
            models.Index(fields=["latitude", "longitude"], name="commune_centroid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("geography:commune_detail", args=[self.code])

    @property
    def density(self):
        if not self.area_km2 or self.population is None:
            return None
        return self.population / self.area_km2

    def geojson_feature(self):
        return {
            "type": "Feature",
            "geometry": json.loads(self.geometry) if self.geometry else None,
            "properties": {
                "code": self.code,
                "name": self.name,
                "population": self.population,
                "url": self.get_absolute_url(),
            },
        }
