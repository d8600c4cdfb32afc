from django.db import models
from django.urls import reverse

from interurps.geography.models import Region


class Profession(models.Model):
    """One of the ten professions represented by a URPS (code de la santé publique, L4031-1)."""

    code = models.SlugField("code", max_length=40, primary_key=True)
    label = models.CharField("libellé officiel", max_length=100)
    union_label = models.CharField("nom de l'union", max_length=100)
    display_order = models.PositiveSmallIntegerField("ordre d'affichage")

    class Meta:
        verbose_name = "profession"
        ordering = ["display_order"]

    def __str__(self):
        return self.label


class ElectoralCollege(models.Model):
    """Physicians elect their URPS in separate colleges (code de la santé publique, R4031-2)."""

    profession = models.ForeignKey(
        Profession, on_delete=models.CASCADE, related_name="colleges", verbose_name="profession"
    )
    code = models.SlugField("code", max_length=40)
    label = models.CharField("libellé", max_length=100)
    display_order = models.PositiveSmallIntegerField("ordre d'affichage")

    class Meta:
        verbose_name = "collège électoral"
        verbose_name_plural = "collèges électoraux"
        ordering = ["profession__display_order", "display_order"]
        constraints = [
            models.UniqueConstraint(fields=["profession", "code"], name="unique_college_code")
        ]

    def __str__(self):
        return f"{self.profession.label} — {self.label}"


class Federation(models.Model):
    """The InterURPS of a region: the association of its ten unions."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="federation", verbose_name="région"
    )
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    address = models.TextField("adresse", blank=True)

    class Meta:
        verbose_name = "fédération (InterURPS)"
        verbose_name_plural = "fédérations (InterURPS)"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:federation_detail", args=[self.region_id])


class Union(models.Model):
    """A URPS: one per profession per region."""

    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, related_name="unions", verbose_name="profession"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="unions", verbose_name="région"
    )
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel", blank=True)
    website = models.URLField("site web", blank=True)

    class Meta:
        verbose_name = "union (URPS)"
        verbose_name_plural = "unions (URPS)"
        ordering = ["region__name", "profession__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["profession", "region"], name="one_union_per_profession_per_region"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:union_detail", args=[self.pk])


class Partner(models.Model):
    class Kind(models.TextChoices):
        ARS = "ars", "Agence régionale de santé"
        HEALTH_INSURANCE = "assurance_maladie", "Assurance Maladie (DCGDR)"

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="partners", verbose_name="région"
    )
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    name = models.CharField("nom", max_length=150)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)

    class Meta:
        verbose_name = "partenaire"
        ordering = ["region__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind"], name="one_partner_per_kind_per_region"
            )
        ]

    def __str__(self):
        return self.name
