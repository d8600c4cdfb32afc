"""Who may see the professionals registry."""

from interurps.accounts import perms


def can_view_registry(user) -> bool:
    """Federation staff and admins of any region, and superusers.

    The registry is public open data (Annuaire Santé, Licence Ouverte): no regional scope
    applies, a federation role held in any region opens the whole of France. Union members,
    partners and CPTS coordinators do not see it: it is a working tool of the federations'
    teams, not a directory for everyone.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(perms.is_federation_staff(user, region) for region in perms.regions_of(user))
