from interurps.accounts import perms
from interurps.professionals.perms import can_view_registry


def current_federation(request):
    """The region and federation the header and navigation speak for."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    regions = perms.regions_of(user)
    region = regions[0] if regions else None
    federation = getattr(region, "federation", None) if region else None
    return {
        "current_region": region,
        "current_federation": federation,
        "user_regions": regions,
        "can_access_admin": perms.can_access_admin(user),
        "can_view_team": bool(region) and perms.can_view_team(user, region),
        "can_view_registry": can_view_registry(user),
    }
