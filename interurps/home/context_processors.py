from interurps.accounts import perms
from interurps.home import menu, spaces
from interurps.organizations import selectors as organization_selectors


def navigation(request):
    """The space the person works in (role, region, federation), the menu of the pages
    they may open with the current one marked, and a default breadcrumb trail."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    space = spaces.current_space(request)
    region = space.region if space else None
    federation = organization_selectors.federation_for_region(region) if region else None
    entries = menu.menu(
        user,
        request.path,
        getattr(request, "resolver_match", None),
        region=region,
        federation=federation,
        space=space,
    )
    return {
        "current_space": space,
        "current_region": region,
        "current_federation": federation,
        "user_regions": perms.regions_of(user),
        "menu_entries": entries,
        "nav_breadcrumbs": menu.breadcrumbs(entries),
        "can_view_team": any(e.key == "team" for e in entries),
    }
