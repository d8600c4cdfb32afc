from django.db.models import QuerySet

from interurps.jobs import registry, services
from interurps.jobs.models import Job


def jobs_of_region(region) -> QuerySet[Job]:
    return Job.objects.filter(region=region).select_related("started_by")


def startable_types(user, region) -> list[registry.JobType]:
    return [t for t in registry.all_types() if t.can_start(user, region)]


def is_stale(job: Job) -> bool:
    return services.is_stale(job)
