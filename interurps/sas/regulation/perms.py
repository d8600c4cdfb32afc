"""Who may search slots, book and record care requests (policy kind `sas_regulation`).

Regulators (médecins régulateurs, OSNP) search, book and record care requests in their
region; the federation's admins too, and its chargé·es de mission (the SAS officer) read
them. Nobody else: a care request is a patient's call, even without their identity.
A role held in one region grants nothing in another; superusers pass every check.
"""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_regulation(user, region) -> bool:
    """Regulators, federation admins and staff of the region read care requests, their
    appointments and the search."""
    return perms.can_read(user, Kind.SAS_REGULATION, region)


def can_regulate(user, region) -> bool:
    """Regulators and federation admins of the region record care requests, book, cancel
    and record outcomes."""
    return perms.can_write(user, Kind.SAS_REGULATION, region)
