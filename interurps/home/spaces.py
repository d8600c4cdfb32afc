"""The "space" a person works in: one role held in one region (with its CPTS, union or
partner). A person holding several roles, or roles in several regions, switches between
them; the choice is remembered in the session."""

from interurps.accounts import perms
from interurps.accounts.models import Role, RoleAssignment

SESSION_KEY = "home_space"
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def spaces_of(user) -> list[RoleAssignment]:
    """The user's role assignments, by region then role (admin first, regulator last)."""
    if not user.is_authenticated:
        return []
    return sorted(
        perms._assignments(user),
        key=lambda a: (a.region.name, ROLE_ORDER.get(a.role, 99), a.pk),
    )


def current_space(request) -> RoleAssignment | None:
    """The space chosen in this session, or the user's first one."""
    spaces = spaces_of(request.user)
    if not spaces:
        return None
    chosen = request.session.get(SESSION_KEY)
    return next((s for s in spaces if s.pk == chosen), spaces[0])


def choose_space(request, pk: int) -> RoleAssignment | None:
    """Remember the space `pk` for this session, if it is one of the user's; else None."""
    space = next((s for s in spaces_of(request.user) if s.pk == pk), None)
    if space is not None:
        request.session[SESSION_KEY] = space.pk
    return space


def space_for_region(request, region_code: str) -> RoleAssignment | None:
    """The first of the user's spaces in the region, remembered for the session."""
    space = next((s for s in spaces_of(request.user) if s.region_id == region_code), None)
    if space is not None:
        request.session[SESSION_KEY] = space.pk
    return space


def space_label(space: RoleAssignment) -> str:
    scope = space.cpts or space.union or space.partner
    label = f"{space.get_role_display()} — {space.region.name}"
    return f"{label} ({scope})" if scope else label
