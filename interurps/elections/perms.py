"""Who may see and change election results and mandates (policy kind `election`)."""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_elections(user, union) -> bool:
    """Every role holder of the union's region reads results, mandates and directories."""
    return perms.can_read(user, Kind.ELECTION, union.region_id)


def can_manage_elections(user, union) -> bool:
    """Federation admins of the union's region record results, seats, vacancies, offices."""
    return perms.can_write(user, Kind.ELECTION, union.region_id)
