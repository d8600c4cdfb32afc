from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_jobs(user, region) -> bool:
    """The federation's admins and chargé·es de mission of the region see its jobs, their
    progress, logs and results (files included); no other role (Kind.JOB)."""
    return perms.can_read(user, Kind.JOB, region)


def can_manage_job(user, job) -> bool:
    """The same people cancel a job of their region and restart one left by a dead
    worker, whoever started it."""
    return perms.can_write(user, Kind.JOB, job.region_id)


def can_start_jobs(user, region) -> bool:
    """Starting a job: the same people; each job type may ask more (national types:
    superusers only)."""
    return perms.can_write(user, Kind.JOB, region)
