"""The one django-tasks task: run a job of the `Job` table by its id."""

from django_tasks import task

from interurps.jobs import runner


@task()
def run_job(job_id: int) -> str:
    job = runner.execute(job_id)
    return job.state if job is not None else "skipped"
