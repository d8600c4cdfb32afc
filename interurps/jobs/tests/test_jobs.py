"""The life of a background job: queued, running with progress, done; failed with its
changes rolled back; cancelled; restarted after its worker was killed; never twice at
once; the Annuaire Santé import as a job; the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.geography.models import Region
from interurps.jobs import kinds, registry, runner, services
from interurps.jobs.models import Job
from interurps.jobs.registry import JobFailure, JobType, Outcome
from interurps.organizations.models import Federation
from interurps.professionals.models import Professional
from interurps.professionals.tests.sample import line, write_file
from interurps.reports.models import ReportTexts
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SEEN = {}


class _Counting(JobType):
    """Writes one record per step (the report texts of a year), then does what the job's
    params say: finish, crash, or wait to be cancelled."""

    code = "test_counting"
    label = "Comptage de test"

    def lock_key(self, params, *, region, user):
        return params.get("lock", "")

    def prepare(self, ctx):
        return list(range(params_steps(ctx)))

    def apply(self, ctx, prepared):
        federation = Federation.objects.get(region=ctx.job.region)
        for year in ctx.progress(prepared, desc="Étapes"):
            ReportTexts.objects.create(federation=federation, year=2000 + year)
            row = Job.objects.get(pk=ctx.job.pk)
            SEEN.setdefault(ctx.job.pk, []).append((row.state, row.progress_done, row.phase))
            if ctx.job.params.get("then") == "cancel" and year == 1:
                services.job_cancel(job=ctx.job)
            if ctx.job.params.get("then") == "crash" and year == 2:
                raise RuntimeError("panne au milieu")
            if ctx.job.params.get("then") == "refuse" and year == 2:
                raise JobFailure("Fichier refusé à la ligne 3.")
        return Outcome(summary=f"{len(prepared)} étapes.", counts={"étapes": len(prepared)})


def params_steps(ctx) -> int:
    return ctx.job.params.get("steps", 4)


registry.register(_Counting)


@pytest.fixture(autouse=True)
def _flush_every_step(monkeypatch):
    monkeypatch.setattr(runner, "FLUSH_SECONDS", 0)
    SEEN.clear()


@pytest.fixture
def region():
    return Region.objects.get(code="52")


@pytest.fixture
def staff():
    return user_with_role(Role.FEDERATION_STAFF)


def start(region, staff, **params):
    return services.job_start(kind="test_counting", region=region, user=staff, params=params)


def test_a_job_is_queued_then_runs_with_progress_to_done(region, staff):
    job = start(region, staff, steps=4)
    assert job.state == Job.State.QUEUED and job.task_id  # the queue entry was written
    done = runner.execute(job.pk, worker="test")
    assert done.state == Job.State.DONE
    assert done.result == {"summary": "4 étapes.", "counts": {"étapes": 4}, "errors": []}
    assert (done.progress_done, done.progress_total, done.attempts) == (4, 4, 1)
    assert done.started_at <= done.finished_at
    # While it ran, the job's record said so, step by step.
    assert SEEN[job.pk] == [("running", n, "Étapes") for n in range(0, 4)]
    assert ReportTexts.objects.filter(year__gte=2000, year__lt=2004).count() == 4
    assert "Démarrage" in done.log and "Terminé : 4 étapes." in done.log
    assert runner.execute(job.pk) is None  # a finished job never runs again


def test_a_crash_marks_the_job_failed_and_changes_nothing(region, staff):
    job = runner.execute(start(region, staff, then="crash").pk)
    assert job.state == Job.State.FAILED
    assert "RuntimeError" in job.error and "panne au milieu" in job.error
    assert not ReportTexts.objects.filter(year__gte=2000, year__lt=2004).exists()
    assert "Aucune modification n'a été enregistrée" in job.log


def test_an_expected_failure_keeps_its_french_message(region, staff):
    job = runner.execute(start(region, staff, then="refuse").pk)
    assert (job.state, job.error) == (Job.State.FAILED, "Fichier refusé à la ligne 3.")
    assert not ReportTexts.objects.filter(year__gte=2000, year__lt=2004).exists()


def test_a_running_job_cancelled_stops_at_its_next_step_and_changes_nothing(region, staff):
    job = runner.execute(start(region, staff, then="cancel", steps=10).pk)
    assert job.state == Job.State.CANCELLED
    assert len(SEEN[job.pk]) == 2  # stopped at the step after the cancellation
    assert not ReportTexts.objects.filter(year__gte=2000, year__lt=2010).exists()


def test_a_queued_job_cancelled_never_runs(region, staff):
    job = services.job_cancel(job=start(region, staff))
    assert job.state == Job.State.CANCELLED
    assert runner.execute(job.pk) is None
    with pytest.raises(ValidationError, match="déjà terminé"):
        services.job_cancel(job=job)


def test_a_job_left_running_by_a_killed_worker_is_requeued_and_runs_again(region, staff):
    job = start(region, staff, steps=3)
    # The worker claimed it, wrote some progress, then was killed: no end, no heartbeat.
    claimed = runner.claim(job.pk, worker="tué")
    Job.objects.filter(pk=job.pk).update(progress_done=1, progress_total=3)
    with pytest.raises(ValidationError, match="signe de vie"):
        services.job_requeue(job=claimed)  # its worker may still be alive
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    claimed.refresh_from_db()
    assert services.is_stale(claimed)
    assert [j.pk for j in services.jobs_requeue_stale()] == [job.pk]
    requeued = Job.objects.get(pk=job.pk)
    assert requeued.state == Job.State.QUEUED and "Worker arrêté" in requeued.log
    done = runner.execute(job.pk, worker="nouveau")
    assert (done.state, done.attempts, done.worker) == (Job.State.DONE, 2, "nouveau")
    assert "Nouveau départ (tentative 2)" in done.log
    assert ReportTexts.objects.filter(year__gte=2000, year__lt=2003).count() == 3


def test_the_same_job_is_never_queued_or_running_twice(region, staff):
    first = start(region, staff, lock="import")
    with pytest.raises(ValidationError, match="déjà en attente ou en cours"):
        start(region, staff, lock="import")
    start(region, staff, lock="autre")  # another key is free
    runner.execute(first.pk)
    start(region, staff, lock="import")  # free again once the first has finished


def test_the_annuaire_import_job_reads_an_uploaded_file_with_its_progress(tmp_path, region):
    superuser = user_with_role(Role.FEDERATION_STAFF)
    superuser.is_superuser = True
    superuser.save()
    rows = [line(f"100000{n:05d}", f"NOM{n}", "Prénom", "60", commune="44109") for n in range(25)]
    rows.append("ligne|mal|formée")
    path = write_file(tmp_path / "PS_LibreAcces_Personne_activite_202611200000.txt", rows)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = services.job_start(
        kind="annuaire_import",
        region=region,
        user=superuser,
        params={"dry_run": False, "max_retire_share": 0.1, "force": False, "file_name": path.name},
        upload=upload,
    )
    phases = []
    original = runner.JobContext.flush

    def spy(ctx, *, force=False):
        phases.append((ctx.phase, ctx.done, ctx.total))
        return original(ctx, force=force)

    runner.JobContext.flush = spy
    try:
        job = runner.execute(job.pk)
    finally:
        runner.JobContext.flush = original
    assert job.state == Job.State.DONE, job.error
    assert job.result["counts"]["créés"] == 25
    assert job.result["counts"]["lignes en erreur"] == 1
    assert job.result["errors"][0].startswith("ligne 27 :")
    assert Professional.objects.filter(identifier__startswith="100000").count() == 25
    # The reading reported its lines against the file's line count.
    assert ("Lecture de l'Annuaire Santé", 26, 26) in phases
    assert any(
        phase == "Lecture de l'Annuaire Santé" and 0 < done < 26 for phase, done, _ in phases
    )


def test_a_bad_annuaire_file_fails_with_its_message(tmp_path, region):
    superuser = user_with_role(Role.FEDERATION_STAFF)
    superuser.is_superuser = True
    superuser.save()
    upload = SimpleUploadedFile("annuaire.txt", b"pas|le|bon|en-tete\n1|2|3|4\n")
    job = services.job_start(kind="annuaire_import", region=region, user=superuser, upload=upload)
    job = runner.execute(job.pk)
    assert job.state == Job.State.FAILED
    assert job.error.startswith("Import annulé, la base n'a pas été modifiée.")
    assert "colonnes manquantes" in job.error


def test_the_report_pdf_job_leaves_a_file_to_download(client, region, staff, monkeypatch):
    # The report's own PDF is tested with the report; here only what the job does with it.
    monkeypatch.setattr(kinds.report_services, "report_pdf", lambda f, y: b"%PDF-1.4 rapport")
    job = services.job_start(kind="report_pdf", region=region, user=staff, params={"year": 2021})
    job = runner.execute(job.pk)
    assert job.state == Job.State.DONE, job.error
    client.force_login(staff)
    response = client.get(reverse("jobs:result", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_pages_start_follow_and_cancel_a_job(client, region, staff):
    client.force_login(staff)
    response = client.post(
        reverse("jobs:start", args=[region.code, "report_pdf"]), {"year": "2021"}
    )
    job = Job.objects.get(kind="report_pdf", region=region)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "En attente" in page
    client.post(reverse("jobs:cancel", args=[job.pk]))
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "Annulé" in fragment and "hx-trigger" not in fragment  # polling stops
    listing = client.get(reverse("jobs:list", args=[region.code])).content.decode()
    assert "activité en PDF" in listing


def test_only_superusers_start_the_national_imports(client, region, staff):
    client.force_login(staff)
    assert (
        client.get(reverse("jobs:start", args=[region.code, "annuaire_import"])).status_code == 403
    )
    assert client.get(reverse("jobs:start", args=[region.code, "report_pdf"])).status_code == 200
    partner = user_with_role(Role.PARTNER)
    client.force_login(partner)
    assert client.get(reverse("jobs:list", args=[region.code])).status_code == 403
