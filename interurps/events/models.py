import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from interurps.cpts.models import Cpts
from interurps.events import rules
from interurps.organizations.models import Federation, Profession


def new_public_token() -> str:
    """An unguessable token for the event's public registration link."""
    return secrets.token_urlsafe(24)


class Event(models.Model):
    """An event organised by the federation: seminar, webinar, "pause visio", regional day…"""

    class Kind(models.TextChoices):
        CONGRESS = "congres", "Congrès"
        SEMINAR = "seminaire", "Séminaire"
        WEBINAR = "webinaire", "Webinaire"
        VIDEO_BREAK = "pause_visio", "Pause visio"
        REGIONAL_DAY = "journee_regionale", "Journée régionale"
        TRAINING_DAY = "journee_formation", "Journée de formation"

    class Status(models.TextChoices):
        PLANNED = "prevu", "Prévu"
        HELD = "tenu", "Tenu"
        CANCELLED = "annule", "Annulé"

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="events", verbose_name="fédération"
    )
    kind = models.CharField("type d'événement", max_length=30, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=250)
    topic = models.CharField(
        "thème", max_length=250, blank=True, help_text="Par exemple « Article 51 »."
    )
    description = models.TextField("présentation", blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=250, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    audience = models.CharField(
        "public visé",
        max_length=250,
        blank=True,
        help_text="Par exemple « coordinateurs et coordinatrices de CPTS ».",
    )
    capacity = models.PositiveIntegerField(
        "nombre de places",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Laissé vide : places illimitées. Au-delà, les inscriptions vont en liste "
        "d'attente.",
    )
    duration_hours = models.DecimalField(
        "durée retenue pour l'attestation (heures)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(999)],
        help_text="Laissé vide : calculée à partir des horaires de début et de fin, chaque jour.",
    )
    registration_open = models.BooleanField(
        "inscriptions ouvertes par le lien public", default=True
    )
    public_token = models.CharField(
        "jeton du lien d'inscription",
        max_length=64,
        unique=True,
        default=new_public_token,
        editable=False,
    )
    survey_url = models.URLField("questionnaire de satisfaction", blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["federation", "starts_at"])]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("events:public_register", args=[self.public_token])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def starts_on(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def ends_on(self):
        return timezone.localtime(self.ends_at).date()

    @property
    def is_single_day(self) -> bool:
        return self.starts_on == self.ends_on

    @property
    def hours(self):
        """Hours stated on the certificate of attendance."""
        if self.duration_hours is not None:
            return self.duration_hours
        return rules.attendance_hours(
            timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        )

    @property
    def location_label(self) -> str:
        if self.place and self.video_link:
            return f"{self.place} et en visioconférence"
        if self.place:
            return self.place
        return "Visioconférence" if self.video_link else ""

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "La fin doit être postérieure au début."})


class ProgrammeItem(models.Model):
    """A slot of the programme: session, round table, workshop, plenary or break."""

    class Kind(models.TextChoices):
        SESSION = "session", "Session"
        ROUND_TABLE = "table_ronde", "Table ronde"
        WORKSHOP = "atelier", "Atelier"
        PLENARY = "pleniere", "Plénière"
        BREAK = "pause", "Pause"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name="événement"
    )
    order = models.PositiveSmallIntegerField("ordre", validators=[MinValueValidator(1)])
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.SESSION)
    title = models.CharField("intitulé", max_length=250)
    starts_at = models.DateTimeField("début", null=True, blank=True)
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "séquence du programme"
        verbose_name_plural = "séquences du programme"
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="unique_programme_order")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.title}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "La fin doit être postérieure au début."
        if self.event_id:
            event = self.event
            for name in ("starts_at", "ends_at"):
                value = getattr(self, name)
                if value and not (event.starts_at <= value <= event.ends_at):
                    errors.setdefault(
                        name,
                        "Les horaires de la séquence doivent être compris dans ceux de "
                        "l'événement.",
                    )
        if errors:
            raise ValidationError(errors)


class Speaker(models.Model):
    programme_item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.CASCADE,
        related_name="speakers",
        verbose_name="séquence du programme",
    )
    order = models.PositiveSmallIntegerField("ordre", default=1)
    full_name = models.CharField("nom et prénom", max_length=150)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    role = models.CharField(
        "fonction",
        max_length=200,
        blank=True,
        help_text="Par exemple « Président de l'URPS Infirmiers ».",
    )

    class Meta:
        verbose_name = "intervenant·e"
        verbose_name_plural = "intervenant·es"
        ordering = ["programme_item", "order", "pk"]

    def __str__(self):
        return self.full_name

    @property
    def description(self) -> str:
        return ", ".join(part for part in (self.role, self.organisation) if part)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "inscrit", "Inscrit·e"
        WAITING = "liste_attente", "Liste d'attente"
        CANCELLED = "annule", "Annulé"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name="événement"
    )
    full_name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("courriel")
    organisation = models.CharField("structure", max_length=200, blank=True)
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name="profession",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name="compte utilisateur",
    )
    cpts = models.ForeignKey(
        Cpts,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name="CPTS",
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.CONFIRMED, editable=False
    )
    via_public_link = models.BooleanField("par le lien public", default=False, editable=False)
    registered_at = models.DateTimeField("inscrit·e le", default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True, editable=False)
    attended = models.BooleanField("présent·e", default=False, editable=False)
    checked_in_at = models.DateTimeField("présence pointée le", null=True, editable=False)
    certificate_number = models.CharField(
        "numéro d'attestation", max_length=30, blank=True, editable=False
    )

    class Meta:
        verbose_name = "inscription"
        ordering = ["event", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="annule"),
                name="one_active_registration_per_email",
                violation_error_message="Cette adresse est déjà inscrite à l'événement.",
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="unique_certificate_number",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} — {self.event.title}"

    def get_certificate_url(self):
        return reverse("events:certificate", args=[self.pk])

    def clean(self):
        if self.email:
            self.email = self.email.strip().lower()
        if (
            self.cpts_id
            and self.event_id
            and self.cpts.region_id != self.event.federation.region_id
        ):
            raise ValidationError({"cpts": "La CPTS doit être une CPTS de la région."})
