from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from interurps.governance import rules
from interurps.organizations.models import Federation, Union


def _in_office(start_date: date, end_date: date | None, on: date) -> bool:
    return start_date <= on and (end_date is None or end_date >= on)


class Body(models.Model):
    """A body of the federation: its board, its bureau or its general assembly."""

    class Kind(models.TextChoices):
        BOARD = "conseil_administration", "Conseil d'administration"
        BUREAU = "bureau", "Bureau"
        GENERAL_ASSEMBLY = "assemblee_generale", "Assemblée générale"

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="bodies", verbose_name="fédération"
    )
    kind = models.CharField("type d'instance", max_length=30, choices=Kind.choices)
    name = models.CharField("nom", max_length=150)
    quorum_numerator = models.PositiveSmallIntegerField(
        "quorum : numérateur", default=1, validators=[MinValueValidator(1)]
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        "quorum : dénominateur",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="1/2 pour « la moitié au moins des membres ».",
    )
    quorum_counts_proxies = models.BooleanField(
        "les membres représentés comptent pour le quorum", default=True
    )
    quorum_rule_text = models.TextField(
        "règle de quorum des statuts",
        blank=True,
        help_text="La rédaction des statuts, reproduite sur la page de l'instance.",
    )
    max_proxies_per_member = models.PositiveSmallIntegerField(
        "procurations par membre (maximum)", default=1, validators=[MinValueValidator(1)]
    )

    unique_messages = {("federation", "name"): "Une instance porte déjà ce nom."}

    class Meta:
        verbose_name = "instance"
        ordering = ["federation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="unique_body_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:body_detail", args=[self.pk])

    @property
    def quorum_fraction(self) -> tuple[int, int]:
        return (self.quorum_numerator, self.quorum_denominator)

    @property
    def quorum_words(self) -> str:
        try:
            return rules.fraction_words(self.quorum_fraction)
        except ValueError:
            return ""

    def clean(self):
        if (
            self.quorum_numerator
            and self.quorum_denominator
            and self.quorum_numerator > self.quorum_denominator
        ):
            raise ValidationError(
                {"quorum_numerator": "Le quorum ne peut dépasser la totalité des membres."}
            )


class BodyMember(models.Model):
    """A mandate in a body: who sits, for which union, in which office, from when to when."""

    class Office(models.TextChoices):
        PRESIDENT = "president", "Président·e"
        CO_PRESIDENT = "co_president", "Co-président·e"
        VICE_PRESIDENT = "vice_president", "Vice-président·e"
        TREASURER = "tresorier", "Trésorier·e"
        SECRETARY = "secretaire", "Secrétaire"
        MEMBER = "membre", "Membre"

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="members", verbose_name="instance"
    )
    full_name = models.CharField("nom et prénom", max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
        verbose_name="compte utilisateur",
    )
    union = models.ForeignKey(
        Union,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_members",
        verbose_name="union représentée",
    )
    office = models.CharField(
        "fonction", max_length=20, choices=Office.choices, default=Office.MEMBER
    )
    start_date = models.DateField("début du mandat")
    end_date = models.DateField("fin du mandat", null=True, blank=True)

    class Meta:
        verbose_name = "membre d'une instance"
        verbose_name_plural = "membres des instances"
        ordering = ["body", "start_date", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.get_office_display()}, {self.body})"

    @property
    def is_current(self) -> bool:
        return self.in_office_on(timezone.localdate())

    def in_office_on(self, on: date) -> bool:
        return _in_office(self.start_date, self.end_date, on)

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "La fin du mandat ne peut précéder son début."
        if (
            self.union_id
            and self.body_id
            and self.union.region_id != self.body.federation.region_id
        ):
            errors["union"] = "L'union représentée doit être une union de la région."
        if errors:
            raise ValidationError(errors)


class StaffMember(models.Model):
    """A person working for the federation, employed by it or lent by one of its unions."""

    class EmployerKind(models.TextChoices):
        FEDERATION = "federation", "Fédération"
        UNION = "union", "Union (mise à disposition)"
        EMPLOYER_GROUP = "groupement_employeurs", "Groupement d'employeurs"

    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="staff_members",
        verbose_name="fédération",
    )
    full_name = models.CharField("nom et prénom", max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="federation_jobs",
        verbose_name="compte utilisateur",
    )
    job_title = models.CharField("fonction", max_length=150)
    employer_kind = models.CharField(
        "employeur", max_length=30, choices=EmployerKind.choices, default=EmployerKind.FEDERATION
    )
    lent_by = models.ForeignKey(
        Union,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lent_staff",
        verbose_name="mis·e à disposition par",
    )
    start_date = models.DateField("arrivée")
    end_date = models.DateField("départ", null=True, blank=True)
    working_time_percent = models.PositiveSmallIntegerField(
        "temps de travail (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = "salarié·e de la fédération"
        verbose_name_plural = "salarié·es de la fédération"
        ordering = ["federation", "full_name"]

    def __str__(self):
        return f"{self.full_name} — {self.job_title}"

    @property
    def is_current(self) -> bool:
        return _in_office(self.start_date, self.end_date, timezone.localdate())

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "Le départ ne peut précéder l'arrivée."
        if self.employer_kind == self.EmployerKind.UNION and not self.lent_by_id:
            errors["lent_by"] = "Indiquez l'union qui met cette personne à disposition."
        if self.employer_kind != self.EmployerKind.UNION and self.lent_by_id:
            errors["lent_by"] = "Seule une personne mise à disposition a une union d'origine."
        if (
            self.lent_by_id
            and self.federation_id
            and self.lent_by.region_id != self.federation.region_id
        ):
            errors["lent_by"] = "L'union d'origine doit être une union de la région."
        if errors:
            raise ValidationError(errors)


class Meeting(models.Model):
    class Status(models.TextChoices):
        CONVENED = "convoquee", "Convoquée"
        HELD = "tenue", "Tenue"
        CANCELLED = "annulee", "Annulée"

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="meetings", verbose_name="instance"
    )
    held_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=200, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    agenda = models.TextField("ordre du jour", blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.CONVENED, editable=False
    )
    minutes = models.TextField("procès-verbal", blank=True)
    convocation_sent_on = models.DateField("convocation envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "réunion"
        ordering = ["-held_at"]

    def __str__(self):
        local = timezone.localtime(self.held_at)
        return f"{self.body} du {local:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def held_on(self) -> date:
        return timezone.localtime(self.held_at).date()

    def clean(self):
        if (
            self.convocation_sent_on
            and self.held_at
            and self.convocation_sent_on > timezone.localtime(self.held_at).date()
        ):
            raise ValidationError(
                {"convocation_sent_on": "La convocation ne peut être envoyée après la réunion."}
            )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Présent·e"
        REPRESENTED = "represente", "Représenté·e"
        EXCUSED = "excuse", "Excusé·e"
        ABSENT = "absent", "Absent·e"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="réunion"
    )
    member = models.ForeignKey(
        BodyMember, on_delete=models.CASCADE, related_name="attendances", verbose_name="membre"
    )
    status = models.CharField("présence", max_length=20, choices=Status.choices)
    proxy_holder = models.ForeignKey(
        BodyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name="mandataire",
    )

    class Meta:
        verbose_name = "présence"
        ordering = ["meeting", "member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self):
        return f"{self.member.full_name} : {self.get_status_display()}"

    def clean(self):
        errors = {}
        body_id = self.meeting.body_id if self.meeting_id else None
        if self.member_id and body_id and self.member.body_id != body_id:
            errors["member"] = "Ce membre ne siège pas dans l'instance de la réunion."
        if self.status == self.Status.REPRESENTED:
            if not self.proxy_holder_id:
                errors["proxy_holder"] = "Indiquez le mandataire du membre représenté."
            elif self.proxy_holder_id == self.member_id:
                errors["proxy_holder"] = "Un membre ne peut être son propre mandataire."
            elif body_id and self.proxy_holder.body_id != body_id:
                errors["proxy_holder"] = "Le mandataire doit être membre de la même instance."
        elif self.proxy_holder_id:
            errors["proxy_holder"] = "Seul un membre représenté a un mandataire."
        if errors:
            raise ValidationError(errors)


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name="réunion"
    )
    order = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=250)
    text = models.TextField("texte de la délibération", blank=True)
    votes_for = models.PositiveSmallIntegerField("voix pour", default=0)
    votes_against = models.PositiveSmallIntegerField("voix contre", default=0)
    abstentions = models.PositiveSmallIntegerField("abstentions", default=0)

    class Meta:
        verbose_name = "décision"
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="unique_decision_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def outcome(self) -> str:
        return rules.decision_outcome(self.votes_for, self.votes_against)

    @property
    def outcome_label(self) -> str:
        return rules.OUTCOME_LABELS[self.outcome]

    @property
    def is_adopted(self) -> bool:
        return self.outcome == rules.ADOPTED
