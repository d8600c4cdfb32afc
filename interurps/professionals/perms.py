"""Who may see the professionals registry."""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_registry(user) -> bool:
    """Federation staff and admins of any region, and superusers.

    The registry is public open data (Annuaire Santé, Licence Ouverte): no regional scope
    applies, a role that reads it in any region opens the whole of France. Union members,
    partners and CPTS coordinators do not see it: it is a working tool of the federations'
    teams, not a directory for everyone.
    """
    return perms.can_read_in_any_region(user, Kind.PROFESSIONAL)
