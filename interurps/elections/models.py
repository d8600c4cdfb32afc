from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from interurps.organizations.models import ElectoralCollege, Union

MANDATE_YEARS = 5  # code de la santé publique, L4031-2: members elected for five years


class Election(models.Model):
    """The election of one union (URPS) on one date; physicians vote in colleges."""

    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, related_name="elections", verbose_name="union"
    )
    held_on = models.DateField("date du scrutin")
    note = models.TextField("observations", blank=True)

    unique_messages = {("union", "held_on"): "Cette URPS a déjà une élection à cette date."}

    class Meta:
        verbose_name = "élection"
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["union", "held_on"], name="one_election_per_day")
        ]

    def __str__(self):
        return f"{self.union} — scrutin du {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("elections:detail", args=[self.pk])


class Ballot(models.Model):
    """One count: the whole union, or one college of the physicians' union."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="ballots", verbose_name="élection"
    )
    college = models.ForeignKey(
        ElectoralCollege,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="collège",
    )
    registered_voters = models.PositiveIntegerField("électeurs inscrits", null=True, blank=True)
    seats_override = models.PositiveSmallIntegerField(
        "nombre de sièges saisi",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Remplace le nombre calculé selon le code de la santé publique.",
    )
    seats_override_reason = models.TextField("motif du nombre de sièges saisi", blank=True)
    tie_breakers = models.CharField(
        "départage des égalités",
        max_length=40,
        default="votes,age,lot",
        help_text="Ordre des critères : votes (plus de suffrages), age (candidats plus âgés "
        "en moyenne), lot (tirage au sort).",
    )
    lot_seed = models.BigIntegerField("graine du tirage au sort", null=True, blank=True)
    result = models.JSONField("résultat de la répartition", null=True, blank=True)
    allocated_at = models.DateTimeField("répartition calculée le", null=True, blank=True)

    class Meta:
        verbose_name = "scrutin"
        ordering = ["election", "college__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "college"],
                name="one_ballot_per_college",
            )
        ]

    def __str__(self):
        return f"{self.election} — {self.college.label if self.college else 'collège unique'}"

    @property
    def label(self) -> str:
        return self.college.label if self.college else "Collège unique"


class CandidateList(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="lists", verbose_name="scrutin"
    )
    name = models.CharField("liste", max_length=200)
    syndicate = models.CharField("syndicat", max_length=200, blank=True)
    votes = models.PositiveIntegerField("suffrages valablement exprimés")
    seats_won = models.PositiveSmallIntegerField("sièges obtenus", null=True, blank=True)

    class Meta:
        verbose_name = "liste"
        ordering = ["ballot", "-votes", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "name"], name="unique_list_name_per_ballot")
        ]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    candidate_list = models.ForeignKey(
        CandidateList, on_delete=models.CASCADE, related_name="candidates", verbose_name="liste"
    )
    position = models.PositiveSmallIntegerField("rang", validators=[MinValueValidator(1)])
    full_name = models.CharField("nom", max_length=200)
    birth_date = models.DateField("date de naissance", null=True, blank=True)

    class Meta:
        verbose_name = "candidat·e"
        verbose_name_plural = "candidat·es"
        ordering = ["candidate_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list", "position"], name="unique_position_per_list"
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.candidate_list}, n° {self.position})"


class Mandate(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "en_cours", "En cours"
        ENDED = "termine", "Terminé"
        VACATED = "vacant", "Siège libéré"

    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, related_name="mandates", verbose_name="union"
    )
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="mandates", verbose_name="scrutin"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="mandates", verbose_name="élu·e"
    )
    started_on = models.DateField("début")
    ends_on = models.DateField("fin prévue")
    ended_on = models.DateField("fin effective", null=True, blank=True)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default="en_cours")
    end_reason = models.CharField("motif de fin", max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="remplace",
    )

    class Meta:
        verbose_name = "mandat"
        ordering = ["union", "candidate__candidate_list__name", "candidate__position"]

    def __str__(self):
        return f"{self.candidate.full_name} — {self.union}"


class Office(models.Model):
    class Kind(models.TextChoices):
        PRESIDENT = "president", "Président·e"
        VICE_PRESIDENT = "vice_president", "Vice-président·e"
        TREASURER = "tresorier", "Trésorier·e"
        SECRETARY = "secretaire", "Secrétaire"

    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="offices", verbose_name="mandat"
    )
    kind = models.CharField("fonction", max_length=20, choices=Kind.choices)
    started_on = models.DateField("début")
    ended_on = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "fonction au bureau de l'union"
        verbose_name_plural = "fonctions au bureau de l'union"
        ordering = ["kind", "-started_on"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.mandate.candidate.full_name}"
