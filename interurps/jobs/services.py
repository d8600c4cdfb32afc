"""Starting, cancelling and restarting background jobs."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interurps.jobs import registry, runner
from interurps.jobs.models import Job
from interurps.jobs.tasks import run_job

logger = logging.getLogger(__name__)

ALREADY_RUNNING = (
    "Un travail identique est déjà en attente ou en cours : attendez qu'il se termine "
    "(ou annulez-le) avant de le relancer."
)


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]


def job_start(*, kind: str, region, user, params: dict | None = None, upload=None) -> Job:
    """Queue a job of `kind` for `region`, started by `user`.

    Refused (ValidationError, in French) when a job with the same exclusion key is already
    queued or running: the same import started twice never runs twice at once. The queue
    entry is written in the same transaction as the job, so a worker never sees one
    without the other.
    """
    job_type = registry.get(kind)
    if job_type is None:
        raise ValidationError(f"Type de travail inconnu : « {kind} ».")
    params = params or {}
    job = Job(
        kind=kind,
        region=region,
        started_by=user if user is not None and user.is_authenticated else None,
        params=params,
        lock_key=job_type.lock_key(params, region=region, user=user)[:200],
    )
    stamp = timezone.localtime().strftime("%H:%M:%S")
    who = user.email if user is not None and user.is_authenticated else "une commande"
    job.log = f"{stamp} Mis en attente par {who}"
    try:
        with transaction.atomic():
            if upload is not None:
                job.input_file.save(upload.name, upload, save=False)
            job.save()
    except IntegrityError as exc:
        if job.input_file:
            job.input_file.delete(save=False)
        raise ValidationError(ALREADY_RUNNING, code="already_running") from exc
    _enqueue(job)
    logger.info("job=%s kind=%s queued region=%s", job.pk, kind, region.pk)
    return job


def job_cancel(*, job: Job) -> Job:
    """A queued job is cancelled at once; a running one stops at its next progress step
    (its transaction is rolled back). A finished job cannot be cancelled."""
    if Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.CANCELLED, finished_at=timezone.now()
    ):
        pass
    elif not Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(cancel_requested=True):
        raise ValidationError("Ce travail est déjà terminé : il ne peut plus être annulé.")
    job.refresh_from_db()
    return job


def is_stale(job: Job) -> bool:
    """Left running by a worker that stopped writing its heartbeat (killed, restarted)."""
    return (
        job.state == Job.State.RUNNING
        and job.heartbeat_at is not None
        and job.heartbeat_at < runner.stale_before()
    )


def job_requeue(*, job: Job, by=None) -> Job:
    """Queue again a job left running by a dead worker (its transaction died with it:
    nothing of it was kept). Refused while its worker is alive."""
    limit = runner.stale_before()
    stamp = timezone.localtime().strftime("%H:%M:%S")
    who = f" par {by.email}" if by is not None and by.is_authenticated else ""
    requeued = Job.objects.filter(
        pk=job.pk, state=Job.State.RUNNING, heartbeat_at__lt=limit
    ).update(state=Job.State.QUEUED, cancel_requested=False, worker="")
    if not requeued:
        raise ValidationError(
            "Ce travail n'est pas arrêté : seul un travail dont le worker ne donne plus "
            "signe de vie peut être relancé."
        )
    job.refresh_from_db()
    job.log = "\n".join(
        [*job.log_lines, f"{stamp} Worker arrêté en cours de route : remis en attente{who}"]
    )
    Job.objects.filter(pk=job.pk).update(log=job.log)
    _enqueue(job)
    logger.info("job=%s requeued", job.pk)
    return job


def jobs_requeue_stale() -> list[Job]:
    """Requeue every job left running by a dead worker (a starting worker does it)."""
    requeued = []
    for job in Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=runner.stale_before()):
        try:
            requeued.append(job_requeue(job=job))
        except ValidationError:
            continue  # it came back to life meanwhile
    return requeued
