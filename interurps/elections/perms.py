"""Who may see and change election results and mandates."""

from interurps.accounts import perms


def can_view_elections(user, union) -> bool:
    """Every role holder of the union's region reads results, mandates and directories."""
    return perms.can_view_region_workspace(user, union.region_id)


def can_manage_elections(user, union) -> bool:
    """Federation admins of the union's region record results, seats, vacancies, offices."""
    return perms.is_federation_admin(user, union.region_id)
