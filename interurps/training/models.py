"""Training programmes run by a federation, such as PACTE with the EHESP.

A programme has modules and cohorts; a cohort has learners (CPTS coordinators) and dated
sessions, each teaching one module of the programme; attendance is recorded per session
and per learner. Relay trainers (formateurs relais) follow their own training path.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from interurps.cpts.models import Cpts
from interurps.organizations.models import Federation


class Programme(models.Model):
    """A training programme the federation runs or relays (e.g. « PACTE CPTS »)."""

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="programmes", verbose_name="fédération"
    )
    name = models.CharField("nom", max_length=150)
    short_name = models.CharField(
        "nom court",
        max_length=40,
        blank=True,
        help_text="Affiché dans l'agenda, par exemple « PACTE ». Le nom sinon.",
    )
    operator = models.CharField(
        "organisme de formation", max_length=150, blank=True, help_text="Par exemple « EHESP »."
    )
    description = models.TextField("présentation", blank=True)

    unique_messages = {("federation", "name"): "Un programme de formation porte déjà ce nom."}

    class Meta:
        verbose_name = "programme de formation"
        verbose_name_plural = "programmes de formation"
        ordering = ["federation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="unique_programme_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("training:programme_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Module(models.Model):
    """A module of a programme; completion counts the modules a learner has attended."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="modules", verbose_name="programme"
    )
    order = models.PositiveSmallIntegerField("ordre", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=200)
    expected_hours = models.DecimalField(
        "durée prévue (heures)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField("contenu", blank=True)

    class Meta:
        verbose_name = "module"
        ordering = ["programme", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="unique_module_title"),
            models.UniqueConstraint(fields=["programme", "order"], name="unique_module_order"),
        ]

    def __str__(self):
        return self.title


class Cohort(models.Model):
    """A group of learners following a programme together (« promotion »)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="cohorts", verbose_name="programme"
    )
    name = models.CharField("nom", max_length=150, help_text="Par exemple « Promotion 2021 ».")
    start_date = models.DateField("début")
    end_date = models.DateField("fin prévue", null=True, blank=True)
    notes = models.TextField("notes", blank=True)

    unique_messages = {("programme", "name"): "Une cohorte de ce programme porte déjà ce nom."}

    class Meta:
        verbose_name = "cohorte"
        ordering = ["programme", "-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_cohort_name")
        ]

    def __str__(self):
        return f"{self.programme.label} — {self.name}"

    def get_absolute_url(self):
        return reverse("training:cohort_detail", args=[self.pk])

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La fin de la cohorte ne peut précéder son début."})


class Learner(models.Model):
    """A learner of a cohort: a CPTS coordinator, linked to their CPTS."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="learners", verbose_name="cohorte"
    )
    full_name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("courriel", blank=True)
    cpts = models.ForeignKey(
        Cpts,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learners",
        verbose_name="CPTS",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learner_records",
        verbose_name="compte utilisateur",
    )

    class Meta:
        verbose_name = "apprenant·e"
        verbose_name_plural = "apprenant·es"
        ordering = ["cohort", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "full_name"], name="unique_learner_name")
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("training:learner_detail", args=[self.pk])

    def clean(self):
        if self.cpts_id and self.cohort_id:
            region_id = self.cohort.programme.federation.region_id
            if self.cpts.region_id != region_id:
                raise ValidationError(
                    {"cpts": "La CPTS de l'apprenant·e doit être une CPTS de la région."}
                )


class RelayTrainer(models.Model):
    """A relay trainer (formateur·rice relais) of the federation, trained by the operator."""

    class Status(models.TextChoices):
        IN_TRAINING = "en_formation", "En formation"
        QUALIFIED = "habilite", "Formateur·rice relais"

    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="relay_trainers",
        verbose_name="fédération",
    )
    full_name = models.CharField("nom et prénom", max_length=150)
    organisation = models.CharField("structure", max_length=150, blank=True)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.IN_TRAINING
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relay_trainer_records",
        verbose_name="compte utilisateur",
    )

    class Meta:
        verbose_name = "formateur·rice relais"
        verbose_name_plural = "formateur·rices relais"
        ordering = ["federation", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "full_name"], name="unique_relay_trainer")
        ]

    def __str__(self):
        return self.full_name


class Session(models.Model):
    """One module of the cohort's programme taught on a date and time range.

    A session without a module (a launch meeting, say) appears in the calendar but does
    not count towards completion.
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name="cohorte"
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="module",
        help_text="Laissé vide pour une séance hors module (lancement, point d'étape).",
    )
    title = models.CharField(
        "intitulé", max_length=200, blank=True, help_text="Par exemple « Jour 1 » ou « Lancement »."
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=200, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    trainers = models.ManyToManyField(
        RelayTrainer, blank=True, related_name="sessions", verbose_name="formateur·rices"
    )
    notes = models.TextField("notes", blank=True)

    class Meta:
        verbose_name = "séance"
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"{self.display_title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def get_absolute_url(self):
        return f"{self.cohort.get_absolute_url()}#seance-{self.pk}"

    @property
    def display_title(self) -> str:
        if self.module_id and self.title:
            return f"{self.module.title} — {self.title}"
        if self.module_id:
            return self.module.title
        return self.title or "Séance"

    @property
    def starts_on(self) -> date:
        return timezone.localtime(self.starts_at).date()

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "La fin de la séance doit être postérieure à son début."
        if (
            self.module_id
            and self.cohort_id
            and self.module.programme_id != self.cohort.programme_id
        ):
            errors["module"] = "Le module doit appartenir au programme de la cohorte."
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Présent·e"
        EXCUSED = "excuse", "Excusé·e"
        ABSENT = "absent", "Absent·e"

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name="séance"
    )
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="attendances", verbose_name="apprenant·e"
    )
    status = models.CharField("présence", max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = "présence"
        ordering = ["session", "learner__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"], name="one_training_attendance_per_learner"
            )
        ]

    def __str__(self):
        return f"{self.learner.full_name} : {self.get_status_display()}"

    def clean(self):
        if self.session_id and self.learner_id and self.learner.cohort_id != self.session.cohort_id:
            raise ValidationError(
                {"learner": "Cette personne n'est pas apprenant·e de la cohorte de la séance."}
            )


class TrainerStep(models.Model):
    """A step of a relay trainer's own training path (national training, pause visio…)."""

    class Kind(models.TextChoices):
        NATIONAL_TRAINING = "formation_nationale", "Formation nationale des formateurs relais"
        RELAY_TRAINING = "formation_formateur", "Formation formateur relais"
        VISIO_BREAK = "pause_visio", "Pause visio"
        WEBINAR = "webinaire", "Webinaire"
        WORKING_MEETING = "reunion_travail", "Réunion de travail"
        OTHER = "autre", "Autre"

    class Status(models.TextChoices):
        PLANNED = "prevue", "Prévue"
        DONE = "realisee", "Réalisée"

    trainer = models.ForeignKey(
        RelayTrainer, on_delete=models.CASCADE, related_name="steps", verbose_name="formateur·rice"
    )
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=200)
    starts_on = models.DateField("date", null=True, blank=True)
    ends_on = models.DateField(
        "dernier jour",
        null=True,
        blank=True,
        help_text="Pour une étape sur plusieurs jours (« 16 et 17 septembre »).",
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField("notes", blank=True)

    class Meta:
        verbose_name = "étape du parcours de formateur·rice"
        verbose_name_plural = "étapes du parcours de formateur·rice"
        ordering = ["trainer", "starts_on", "id"]

    def __str__(self):
        return self.title

    @property
    def last_day(self) -> date | None:
        return self.ends_on or self.starts_on

    def clean(self):
        errors = {}
        if self.ends_on and not self.starts_on:
            errors["starts_on"] = "Indiquez le premier jour de l'étape."
        elif self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Le dernier jour ne peut précéder le premier."
        if (
            self.status == self.Status.DONE
            and self.starts_on
            and self.starts_on > timezone.localdate()
        ):
            errors["status"] = "Une étape à venir ne peut être déclarée réalisée."
        if errors:
            raise ValidationError(errors)
