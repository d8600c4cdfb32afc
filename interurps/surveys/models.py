import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from interurps.cpom.models import Indicator
from interurps.cpts.models import Cpts
from interurps.events.models import Event
from interurps.geography.models import Department
from interurps.organizations.models import Federation, Partner, Profession
from interurps.professionals.models import Professional


def new_token() -> str:
    """An unguessable token for a survey's public link, an invitation or a response."""
    return secrets.token_urlsafe(24)


class Survey(models.Model):
    """A survey of the federation: its questionnaire (versions), distribution and answers."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", "Brouillon"
        PUBLISHED = "publiee", "Publiée"
        CLOSED = "close", "Close"

    class Distribution(models.TextChoices):
        PUBLIC = "public", "Lien public"
        INVITATIONS = "invitations", "Invitations personnelles"

    class CpomMeasure(models.TextChoices):
        RESPONSES = "reponses", "Nombre de réponses"
        RATE = "taux", "Taux de réponse (%)"

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="surveys", verbose_name="fédération"
    )
    title = models.CharField("titre", max_length=250)
    intro = models.TextField(
        "présentation",
        blank=True,
        help_text="Affichée en haut du formulaire : objet, durée, usage des réponses.",
    )
    thanks = models.TextField("message de remerciement", blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    distribution = models.CharField(
        "diffusion", max_length=12, choices=Distribution.choices, default=Distribution.INVITATIONS
    )
    opens_at = models.DateTimeField("ouverture", null=True, blank=True)
    closes_at = models.DateTimeField("clôture", null=True, blank=True)
    public_token = models.CharField(
        "jeton du lien public", max_length=64, unique=True, default=new_token, editable=False
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name="événement",
        help_text="Le questionnaire de satisfaction d'un événement est présenté sur sa page.",
    )
    cpom_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name="indicateur du CPOM",
    )
    cpom_measure = models.CharField(
        "mesure reportée dans l'indicateur",
        max_length=10,
        choices=CpomMeasure.choices,
        default=CpomMeasure.RESPONSES,
    )
    shared_with_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="shared_surveys",
        verbose_name="résultats partagés avec les partenaires",
    )
    shared_with_union_members = models.BooleanField(
        "résultats partagés avec les élu·es des URPS de la région", default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "enquête"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.pk])

    def get_public_url(self):
        return reverse("surveys:public", args=[self.public_token])

    def current_version(self) -> "SurveyVersion":
        return self.versions.order_by("-number").first()

    def closed_reason(self, now=None) -> str:
        """Why the survey cannot be answered now, in French; empty when it is open."""
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return "Cette enquête n'est pas encore ouverte."
        if self.status == self.Status.CLOSED:
            return (
                "Cette enquête est close : elle ne reçoit plus de réponses. Merci de votre intérêt."
            )
        if self.opens_at and now < self.opens_at:
            local = timezone.localtime(self.opens_at)
            return f"Cette enquête ouvrira le {local:%d/%m/%Y à %H:%M}."
        if self.closes_at and now >= self.closes_at:
            local = timezone.localtime(self.closes_at)
            return (
                f"Cette enquête est close depuis le {local:%d/%m/%Y à %H:%M} : elle ne reçoit "
                "plus de réponses. Merci de votre intérêt."
            )
        return ""


class SurveyVersion(models.Model):
    """One version of a survey's questionnaire. A version that has answers is never
    changed: editing it creates the next one, and answers keep theirs."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="versions", verbose_name="enquête"
    )
    number = models.PositiveIntegerField("version")
    definition = models.JSONField("questionnaire")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "version du questionnaire"
        verbose_name_plural = "versions du questionnaire"
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")
        ]

    def __str__(self):
        return f"{self.survey} — version {self.number}"


class Invitation(models.Model):
    """A person invited to answer, with their own token (one answer per token)."""

    class Source(models.TextChoices):
        REGISTRY = "repertoire", "Répertoire"
        CSV = "fichier", "Fichier importé"

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name="enquête"
    )
    token = models.CharField("jeton", max_length=64, unique=True, default=new_token, editable=False)
    email = models.EmailField("courriel", blank=True)
    full_name = models.CharField("nom", max_length=200, blank=True)
    professional = models.ForeignKey(
        Professional,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="professionnel·le du répertoire",
    )
    profession = models.ForeignKey(
        Profession, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="profession"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="département"
    )
    cpts = models.ForeignKey(
        Cpts,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CPTS",
    )
    source = models.CharField("origine", max_length=12, choices=Source.choices)
    sent_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("relances", default=0)
    last_reminded_at = models.DateTimeField("dernière relance", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("désinscription", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["survey", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"],
                condition=~Q(email=""),
                name="survey_invitation_email_unique",
            ),
            models.UniqueConstraint(
                fields=["survey", "professional"],
                condition=Q(professional__isnull=False),
                name="survey_invitation_professional_unique",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email or f"Invitation {self.pk}"

    def get_answer_url(self):
        return reverse("surveys:answer", args=[self.token])


class Response(models.Model):
    """The answers of one respondent: through their invitation, or through the public
    link (then with a token of its own to resume). Partial until sent (`submitted_at`)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="enquête"
    )
    version = models.ForeignKey(
        SurveyVersion, on_delete=models.PROTECT, related_name="responses", verbose_name="version"
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
        verbose_name="invitation",
    )
    token = models.CharField(
        "jeton de reprise", max_length=64, unique=True, default=new_token, editable=False
    )
    answers = models.JSONField("réponses", default=dict, blank=True)
    started_at = models.DateTimeField("commencée le", default=timezone.now)
    updated_at = models.DateTimeField("enregistrée le", auto_now=True)
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True, db_index=True)
    # Who answered, for the analysis' filters: from the invitation, else from the answers
    # to a profession or commune question.
    profession = models.ForeignKey(
        Profession, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="profession"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="département"
    )
    cpts = models.ForeignKey(
        Cpts,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CPTS",
    )

    class Meta:
        verbose_name = "réponse"
        ordering = ["survey", "pk"]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self):
        return f"Réponse {self.pk} — {self.survey}"


class Unsubscribe(models.Model):
    """An address that asked the federation not to receive survey invitations any more."""

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="+", verbose_name="fédération"
    )
    email = models.EmailField("courriel")
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "désinscription des enquêtes"
        verbose_name_plural = "désinscriptions des enquêtes"
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "email"], name="survey_unsubscribe_unique"
            )
        ]

    def __str__(self):
        return self.email


class SendRequest(models.Model):
    """A batch of invitations or reminders asked from the survey's page, sent in the
    background; its progress is shown on the page."""

    class Kind(models.TextChoices):
        INVITATIONS = "invitations", "Invitations"
        REMINDERS = "relances", "Relances"

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="send_requests", verbose_name="enquête"
    )
    kind = models.CharField("envoi", max_length=12, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandé par",
    )
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    total = models.PositiveIntegerField("à traiter", default=0)
    done = models.PositiveIntegerField("traitées", default=0)
    counts = models.JSONField("résultat", default=dict, blank=True)

    class Meta:
        verbose_name = "envoi de courriels"
        verbose_name_plural = "envois de courriels"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.survey}"
