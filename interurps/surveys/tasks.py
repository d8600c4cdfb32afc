"""The surveys' background task: run one waiting send request on the application's task
queue (django-tasks, the same database queue and workers as the background jobs)."""

from django_tasks import task

from interurps.surveys import sending


@task()
def run_send_request(send_request_id: int) -> dict | None:
    counts = sending.run_send_request(send_request_id)
    return counts.as_dict() if counts is not None else None
