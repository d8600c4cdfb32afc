from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from interurps.organizations.models import ElectoralCollege, Union

MANDATE_YEARS = 5  # code de la santé publique, L4031-2: members elected for five years


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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


class Designation(models.Model):
    """The designation of the members of a union whose profession does not elect them
    (sages-femmes, pédicures-podologues, orthoptistes, biologistes responsables): the
    representative unions (syndicats) designate them according to their audience (code de
    la santé publique, L4031-2)."""

    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, related_name="designations", verbose_name="union"
    )
    designated_on = models.DateField("date de la désignation")
    note = models.TextField("observations", blank=True)

    class Meta:
        verbose_name = "désignation"
        ordering = ["-designated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "designated_on"], name="one_designation_per_day"
            )
        ]

    def __str__(self):
        return f"{self.union} — désignation du {self.designated_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("elections:designation", args=[self.pk])

    @property
    def term_ends_on(self) -> date:
        """Designated members sit for the same five years as elected ones."""
        return years_later(self.designated_on, MANDATE_YEARS)


class DesignatingOrganisation(models.Model):
    """A representative union (syndicat) that designates members, with its audience."""

    designation = models.ForeignKey(
        Designation,
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name="désignation",
    )
    name = models.CharField("organisation syndicale", max_length=200)
    audience_share = models.DecimalField(
        "audience (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Part de l'audience de l'organisation dans la profession, en pourcentage.",
    )

    class Meta:
        verbose_name = "organisation désignatrice"
        verbose_name_plural = "organisations désignatrices"
        ordering = ["designation", "-audience_share", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["designation", "name"], name="unique_organisation_per_designation"
            )
        ]

    def __str__(self):
        return self.name


class DesignatedMember(models.Model):
    organisation = models.ForeignKey(
        DesignatingOrganisation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name="organisation",
    )
    position = models.PositiveSmallIntegerField("rang", validators=[MinValueValidator(1)])
    full_name = models.CharField("nom", max_length=200)
    birth_date = models.DateField("date de naissance", null=True, blank=True)

    class Meta:
        verbose_name = "membre désigné·e"
        verbose_name_plural = "membres désigné·es"
        ordering = ["organisation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "position"], name="unique_position_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.organisation})"


class Mandate(models.Model):
    """A seat held in a union's assembly, won at an election (`candidate`, `ballot`) or
    designated by a representative union (`designated_member`)."""

    class Status(models.TextChoices):
        ACTIVE = "en_cours", "En cours"
        ENDED = "termine", "Terminé"
        VACATED = "vacant", "Siège libéré"

    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, related_name="mandates", verbose_name="union"
    )
    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.CASCADE,
        related_name="mandates",
        verbose_name="scrutin",
        null=True,
        blank=True,
    )
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        related_name="mandates",
        verbose_name="élu·e",
        null=True,
        blank=True,
    )
    designated_member = models.ForeignKey(
        DesignatedMember,
        on_delete=models.CASCADE,
        related_name="mandates",
        verbose_name="membre désigné·e",
        null=True,
        blank=True,
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
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        candidate__isnull=False,
                        ballot__isnull=False,
                        designated_member__isnull=True,
                    )
                    | models.Q(
                        candidate__isnull=True,
                        ballot__isnull=True,
                        designated_member__isnull=False,
                    )
                ),
                name="mandate_elected_or_designated",
            )
        ]

    def __str__(self):
        return f"{self.full_name} — {self.union}"

    @property
    def person(self) -> Candidate | DesignatedMember:
        return self.candidate if self.candidate_id else self.designated_member

    @property
    def full_name(self) -> str:
        return self.person.full_name

    @property
    def position(self) -> int:
        return self.person.position

    @property
    def group_name(self) -> str:
        """The list the member was elected on, or the organisation that designated them."""
        if self.candidate_id:
            return self.candidate.candidate_list.name
        return self.designated_member.organisation.name

    @property
    def origin_label(self) -> str:
        if self.ballot_id:
            return self.ballot.label
        return "Désignation"

    @property
    def origin_url(self) -> str:
        if self.ballot_id:
            return self.ballot.election.get_absolute_url()
        return self.designated_member.organisation.designation.get_absolute_url()

    def is_current(self, on: date) -> bool:
        """In office on `on`: started, not past its term, not ended by then (the rule of
        `selectors.current_filter`)."""
        if not self.started_on <= on <= self.ends_on:
            return False
        if self.ended_on is not None:
            return on < self.ended_on
        return self.status == self.Status.ACTIVE

    def state_label(self, on: date) -> str:
        if self.ended_on is not None and self.ended_on <= on or self.status != self.Status.ACTIVE:
            return self.get_status_display()
        if self.ends_on < on:
            return "Mandat échu"
        if self.started_on > on:
            return "À venir"
        return self.get_status_display()


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
