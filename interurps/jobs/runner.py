"""The thin runner around every background job.

`execute(job_id)` claims a queued job (one conditional UPDATE: two workers never run the
same job), runs its type's `prepare` (reading, computing: no transaction, no write) then
`apply` inside one transaction, and records the outcome:

- an exception marks the job failed with its error, and the transaction leaves the
  database as it was (nothing half-imported);
- a cancellation (asked on the job's page) is noticed at the next progress step: the
  job stops, its transaction is rolled back, it is marked cancelled;
- the worker writes a heartbeat with its progress; a job whose heartbeat is older than
  JOBS_STALE_AFTER was left by a dead worker and can be requeued
  (`services.jobs_requeue_stale`): its transaction died with the worker, so it starts
  again from nothing.

Progress, log lines and the heartbeat must be visible to the web pages while the job's
transaction is open. Outside it they are written through the ordinary connection; inside
it, on PostgreSQL, through a second connection of their own (committed at once); on SQLite,
which has a single writer, they are written with the job's transaction (the page shows them
once the writing phase ends).
"""

import logging
import os
import socket
import time
import traceback
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone

from interurps.jobs import registry
from interurps.jobs.models import Job
from interurps.jobs.registry import JobFailure

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0  # progress written at most once a second
MAX_LOG_LINES = 500


class JobCancelled(Exception):
    """Raised at a progress step once the job's cancellation has been asked."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class _SideConnection:
    """A PostgreSQL connection of its own, in autocommit, for progress written while the
    job's transaction is open."""

    def __init__(self):
        self.connection = None

    def _cursor(self):
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        return self.connection.cursor()

    def write(self, job_id: int, attempt: int, fields: dict) -> bool:
        table = Job._meta.db_table
        names = list(fields)
        assignments = ", ".join(
            f"{connections[DEFAULT_DB_ALIAS].ops.quote_name(n)} = %s" for n in names
        )
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s AND attempts = %s",  # noqa: S608
                [fields[n] for n in names] + [job_id, attempt],
            )
            return cursor.rowcount > 0

    def cancel_requested(self, job_id: int) -> bool | None:
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT cancel_requested FROM {Job._meta.db_table} WHERE id = %s",  # noqa: S608
                [job_id],
            )
            row = cursor.fetchone()
        return None if row is None else bool(row[0])

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class JobContext:
    """What a job type's code gets: progress steps, a log, the cancellation check.

    `progress` has the call signature of tqdm, so the services that take a `progress`
    callable (the Annuaire Santé import, the geography import) report through it unchanged.
    """

    def __init__(self, job: Job):
        self.job = job
        self.attempt = job.attempts
        self.done = job.progress_done
        self.total = job.progress_total
        self.phase = job.phase
        self.lines = job.log_lines
        # Totals known in advance for iterables without a length (a file's lines), by the
        # step's description.
        self.totals: dict[str, int] = {}
        self._last_flush = 0.0
        side = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
        self._side = _SideConnection() if side else None

    # --- reporting -----------------------------------------------------------------

    def note(self, message: str) -> None:
        """Add a log line (written with the next progress step)."""
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self.lines.append(f"{stamp} {message}")
        del self.lines[:-MAX_LOG_LINES]

    def log(self, message: str) -> None:
        """Add a log line and write it now."""
        self.note(message)
        self.flush(force=True)

    def step(self, *, done: int | None = None, total: int | None = None, phase=None) -> None:
        """Report progress (and check for a cancellation)."""
        if phase is not None and phase != self.phase:
            self.phase = phase
            self.done, self.total = 0, None
        if total is not None:
            self.total = total
        if done is not None:
            self.done = done
        self.flush()

    def progress(self, iterable: Iterable, desc: str = "", total=None, unit: str = "", **_):
        """Wrap `iterable` (as tqdm does): every item is a progress step of phase `desc`."""
        if total is None:
            total = self.totals.get(desc)
        if total is None:
            try:
                total = len(iterable)
            except TypeError:
                total = None
        self.step(phase=desc or self.phase, total=total, done=0)
        done = 0
        for item in iterable:
            yield item
            done += 1
            self.done = done
            if time.monotonic() - self._last_flush >= FLUSH_SECONDS:
                self.flush()
        self.step(done=done, total=total if total is not None else done)

    def flush(self, *, force: bool = False) -> None:
        """Write progress, log and heartbeat (at most every FLUSH_SECONDS unless forced);
        raise JobCancelled when the job's cancellation was asked."""
        now = time.monotonic()
        if not force and now - self._last_flush < FLUSH_SECONDS:
            return
        self._last_flush = now
        self._write(
            {
                "progress_done": self.done,
                "progress_total": self.total,
                "phase": self.phase[:200],
                "log": "\n".join(self.lines),
                "heartbeat_at": timezone.now(),
            }
        )
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if self._cancel_requested():
            raise JobCancelled

    # --- storage ---------------------------------------------------------------------

    def _in_transaction(self) -> bool:
        return connections[DEFAULT_DB_ALIAS].in_atomic_block

    def _write(self, fields: dict) -> None:
        if self._side is not None and self._in_transaction():
            # Committed at once, seen by the pages; a job row created in a transaction
            # still open (tests) is not seen by the other connection: written below then.
            if self._side.write(self.job.pk, self.attempt, fields):
                return
        Job.objects.filter(pk=self.job.pk, attempts=self.attempt).update(**fields)

    def _cancel_requested(self) -> bool:
        if self._side is not None and self._in_transaction():
            seen = self._side.cancel_requested(self.job.pk)
            if seen:
                return True
        return Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()

    def close(self) -> None:
        if self._side is not None:
            self._side.close()


def _failure_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def claim(job_id: int, *, worker: str = "") -> Job | None:
    """Mark a queued job running (None when it is not queued any more: cancelled, or
    taken by another worker)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=worker[:100],
    )
    return Job.objects.get(pk=job_id) if claimed else None


def execute(job_id: int, *, worker: str = "") -> Job | None:
    """Run the queued job `job_id` to its end; returns it (None if it was not queued)."""
    job = claim(job_id, worker=worker or worker_name())
    if job is None:
        return None
    job_type = registry.get(job.kind)
    ctx = JobContext(job)
    outcome, error, state = None, "", Job.State.DONE
    try:
        ctx.log("Démarrage" if job.attempts == 1 else f"Nouveau départ (tentative {job.attempts})")
        if job_type is None:
            raise JobFailure(f"Type de travail inconnu : « {job.kind} ».")
        prepared = job_type.prepare(ctx)
        ctx.check_cancelled()
        with transaction.atomic():
            outcome = job_type.apply(ctx, prepared)
            ctx.check_cancelled()  # cancelled at the very end: still rolled back
    except JobCancelled:
        state = Job.State.CANCELLED
        ctx.note("Annulé : aucune modification n'a été enregistrée.")
    except (JobFailure, ValidationError) as exc:
        state, error = Job.State.FAILED, _failure_message(exc)
        ctx.note(f"Échec : {error} Aucune modification n'a été enregistrée.")
    except Exception as exc:  # a crash: recorded on the job, never lost
        logger.exception("job %s (%s) crashed", job.pk, job.kind)
        state = Job.State.FAILED
        error = f"Erreur inattendue ({exc.__class__.__name__}) : {exc}"
        ctx.note(f"Échec : {error} Aucune modification n'a été enregistrée.")
        ctx.lines.extend(traceback.format_exc().splitlines()[-8:])
    finally:
        ctx.close()
    return _finish(job, ctx, state=state, outcome=outcome, error=error)


def _finish(job: Job, ctx: JobContext, *, state, outcome, error: str) -> Job:
    fields = {
        "state": state,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "error": error,
        "progress_done": ctx.done,
        "progress_total": ctx.total,
        "phase": ctx.phase[:200],
    }
    if outcome is not None:
        fields["result"] = outcome.as_result()
        if outcome.file_content:
            job.result_file.save(outcome.file_name, ContentFile(outcome.file_content), save=False)
            fields["result_file"] = job.result_file.name
        ctx.note(f"Terminé : {outcome.summary}")
    fields["log"] = "\n".join(ctx.lines[-MAX_LOG_LINES:])
    # Only the attempt that claimed the job records its end (a worker taken for dead
    # that comes back must not overwrite the restarted run).
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(**fields)
    job.refresh_from_db()
    logger.info("job=%s kind=%s state=%s", job.pk, job.kind, job.state)
    return job


def stale_before():
    """Heartbeats older than this are a dead worker's."""
    return timezone.now() - timedelta(seconds=settings.JOBS_STALE_AFTER)
