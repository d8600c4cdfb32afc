import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from interurps.cpts.models import Cpts
from interurps.organizations.models import Federation

DEFAULT_MEETING_KINDS = [
    "Interne",
    "ARS",
    "Assurance Maladie",
    "URPS",
    "CPTS",
    "Équipe de suivi SAS",
    "Comité de pilotage",
    "Quintet",
    "Groupe de travail",
    "Autre",
]


class MeetingKind(models.Model):
    """The federation's own list of meeting kinds (editable)."""

    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="meeting_kinds",
        verbose_name="fédération",
    )
    name = models.CharField("type de réunion", max_length=100)
    display_order = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("proposé à la saisie", default=True)

    class Meta:
        verbose_name = "type de réunion"
        verbose_name_plural = "types de réunion"
        ordering = ["display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="unique_meeting_kind")
        ]

    def __str__(self):
        return self.name


class Project(models.TextChoices):
    CPTS = "cpts", "Accompagnement des CPTS"
    SAS = "sas", "SAS"
    ICOPE = "icope", "REPER / ICOPE"
    CPOM = "cpom", "CPOM"
    PACTE = "pacte", "PACTE"
    GOVERNANCE = "gouvernance", "Vie de l'union"
    COMMUNICATION = "communication", "Communication"
    OTHER = "autre", "Autre"


class Meeting(models.Model):
    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="meetings", verbose_name="fédération"
    )
    title = models.CharField("objet", max_length=200)
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    place = models.CharField("lieu", max_length=200, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    kind = models.ForeignKey(
        MeetingKind, on_delete=models.PROTECT, related_name="meetings", verbose_name="type"
    )
    project = models.CharField("projet", max_length=20, choices=Project.choices)
    cpts = models.ManyToManyField(Cpts, blank=True, related_name="meetings", verbose_name="CPTS")
    minutes = models.TextField("compte rendu", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    class Meta:
        verbose_name = "réunion"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["federation", "starts_at"])]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("activities:meeting_detail", args=[self.pk])


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name="réunion"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name="compte",
    )
    full_name = models.CharField("nom", max_length=200)
    organisation = models.CharField("organisme", max_length=200, blank=True)

    class Meta:
        verbose_name = "participant·e"
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.organisation})" if self.organisation else self.full_name


def attachment_path(instance, filename):
    return f"reunions/{instance.meeting_id}/{secrets.token_hex(8)}-{filename}"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name="réunion"
    )
    file = models.FileField("fichier", upload_to=attachment_path)
    name = models.CharField("nom", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        ordering = ["name"]

    def __str__(self):
        return self.name


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret ICS address: one per user, one per federation."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
    )
    federation = models.OneToOneField(
        Federation, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "abonnement de calendrier"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, federation__isnull=True)
                | models.Q(user__isnull=True, federation__isnull=False),
                name="calendar_feed_has_one_owner",
            )
        ]

    def __str__(self):
        return f"Calendrier de {self.user or self.federation}"
