import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from interurps.accounts import perms
from interurps.core.http import query_text
from interurps.geography import selectors as geography_selectors
from interurps.geography.models import Region
from interurps.organizations import selectors as organization_selectors

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Dashboard of one of the user's regions (the first, or the one asked for)."""
    regions = perms.regions_of(request.user)
    requested = query_text(request, "region", max_length=10)
    if requested:
        region = get_object_or_404(Region, code=requested)
        if not perms.can_view_region_workspace(request.user, region):
            region = None
    else:
        region = regions[0] if regions else None
    context = {"regions": regions, "region": region}
    if region is not None:
        context.update(
            summary=geography_selectors.region_summary(region),
            federation=organization_selectors.federation_for_region(region),
            unions=organization_selectors.unions_of_region(region),
            roles=sorted(
                {a.get_role_display() for a in request.user.role_assignments.filter(region=region)}
            ),
        )
    return render(request, "core/home.html", context)


@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request):
    """Liveness and database check for the reverse proxy and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("healthz database check failed")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
