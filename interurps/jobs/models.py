import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from interurps.geography.models import Region


def _input_path(job, filename: str) -> str:
    # A random folder keeps the uploaded file's own name (the Annuaire Santé reader reads
    # the extraction date in it) without two uploads of the same name meeting.
    return f"travaux/entrees/{secrets.token_hex(8)}/{filename}"


def _result_path(job, filename: str) -> str:
    return f"travaux/resultats/{secrets.token_hex(8)}/{filename}"


class Job(models.Model):
    """A piece of long work run by a background worker, with its progress and result.

    The work itself is a job type of `interurps.jobs.registry`, run by
    `interurps.jobs.runner.execute`; this record is what the pages show.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "En échec"
        CANCELLED = "cancelled", "Annulé"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    kind = models.CharField("type", max_length=40)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="jobs", verbose_name="région"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lancé par",
    )
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    params = models.JSONField("paramètres", default=dict, blank=True)
    input_file = models.FileField("fichier déposé", upload_to=_input_path, blank=True)
    progress_done = models.PositiveIntegerField("avancement", default=0)
    progress_total = models.PositiveIntegerField("total", null=True, blank=True)
    phase = models.CharField("étape en cours", max_length=200, blank=True)
    log = models.TextField("journal", blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    result_file = models.FileField("fichier produit", upload_to=_result_path, blank=True)
    error = models.TextField("erreur", blank=True)
    # Two jobs with the same key are never queued or running at once (see Meta).
    lock_key = models.CharField("clé d'exclusion", max_length=200, blank=True)
    cancel_requested = models.BooleanField("annulation demandée", default=False)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    worker = models.CharField("worker", max_length=100, blank=True)
    task_id = models.CharField("tâche", max_length=64, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    started_at = models.DateTimeField("démarré le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "travail en arrière-plan"
        verbose_name_plural = "travaux en arrière-plan"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lock_key"],
                condition=Q(state__in=["queued", "running"]) & ~Q(lock_key=""),
                name="one_active_job_per_lock_key",
            )
        ]

    def __str__(self):
        return f"{self.label} n° {self.pk}"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def label(self) -> str:
        from interurps.jobs.registry import label_of

        return label_of(self.kind)

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def log_lines(self) -> list[str]:
        return self.log.splitlines()
