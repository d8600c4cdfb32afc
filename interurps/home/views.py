from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from interurps.accounts import perms
from interurps.accounts.models import Role
from interurps.accounts.policy import Kind
from interurps.core.http import query_int, query_text, require
from interurps.home import selectors, spaces
from interurps.organizations import selectors as organization_selectors
from interurps.sas import selectors as sas_selectors

TEMPLATES = {
    Role.FEDERATION_ADMIN: "home/staff.html",
    Role.FEDERATION_STAFF: "home/staff.html",
    Role.CPTS_COORDINATOR: "home/coordinator.html",
    Role.PARTNER: "home/partner.html",
    Role.UNION_MEMBER: "home/union.html",
    Role.HEALTH_PROFESSIONAL: "home/tools.html",
    Role.SAS_REGULATOR: "home/tools.html",
}


@login_required
def home(request):
    """The home of the role the person works in now (see `spaces`).

    `?espace=<id>` switches to another of their roles, `?region=<code>` to their first
    role in that region; the choice is remembered for the session.
    """
    chosen = query_int(request, "espace")
    if chosen is not None:
        spaces.choose_space(request, chosen)
        return redirect("home:home")
    region_code = query_text(request, "region", max_length=3)
    if region_code:
        spaces.space_for_region(request, region_code)
        return redirect("home:home")
    space = spaces.current_space(request)
    if space is None:
        return render(request, "home/no_role.html", {})
    region = space.region
    federation = organization_selectors.federation_for_region(region)
    context = {
        "space": space,
        "spaces": [(s, spaces.space_label(s)) for s in spaces.spaces_of(request.user)],
        "region": region,
        "federation": federation,
    }
    now = timezone.now()
    if space.role in (Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF):
        context.update(selectors.staff_home(region, federation, now))
    elif space.role == Role.CPTS_COORDINATOR and space.cpts_id:
        require(perms.can_view_cpts(request.user, space.cpts))
        context.update(selectors.coordinator_home(space.cpts, now))
    elif space.role == Role.PARTNER:
        context.update(selectors.partner_home(region, federation, timezone.localdate().year))
    elif space.role == Role.UNION_MEMBER:
        context.update(selectors.union_home(space.union, request.user, now))
    elif space.role == Role.HEALTH_PROFESSIONAL:
        context["sas"] = sas_selectors.effector_home(space.professional_id)
    elif space.role == Role.SAS_REGULATOR:
        context.update(selectors.regulator_home(region, now))
    context.update(selectors.reper_home(space, timezone.localdate()))
    return render(request, TEMPLATES[space.role], context)


@login_required
def todo(request, kind):
    """One of the federation's work queues, for the federation staff of the current space."""
    if kind not in selectors.TODO_TITLES:
        raise Http404
    space = spaces.current_space(request)
    require(space is not None and perms.can_read(request.user, Kind.TODO, space.region))
    federation = organization_selectors.federation_for_region(space.region)
    items = selectors.todo_list(kind, space.region, federation)
    return render(
        request,
        "home/todo.html",
        {
            "kind": kind,
            "title": selectors.TODO_TITLES[kind],
            "items": items,
            "region": space.region,
            "federation": federation,
            "todo_titles": selectors.TODO_TITLES,
        },
    )
