from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from interurps.core.http import query_text
from interurps.organizations.models import Profession
from interurps.professionals import selectors
from interurps.professionals.pagination import page_of
from interurps.professionals.perms import can_view_registry

PAGE_SIZE = 50


@login_required
def professional_list(request):
    if not can_view_registry(request.user):
        raise PermissionDenied
    query = query_text(request, "q").strip()
    profession = query_text(request, "profession", max_length=50)
    include_retired = request.GET.get("retraites") == "1"
    professionals = selectors.professional_search(
        query, profession_code=profession, active_only=not include_retired
    )
    # The total is read in the registry's counts when no search narrows the list; a search
    # is paged without counting its matches.
    total = (
        None
        if query
        else selectors.registry_size(profession_code=profession, active_only=not include_retired)
    )
    page = page_of(professionals, request.GET.get("page"), PAGE_SIZE, count=total)
    return render(
        request,
        "professionals/professional_list.html",
        {
            "page": page,
            "query": query,
            "profession": profession,
            "include_retired": include_retired,
            "professions": Profession.objects.all(),
        },
    )


@login_required
def professional_detail(request, pk):
    if not can_view_registry(request.user):
        raise PermissionDenied
    professional = get_object_or_404(selectors.professional_detail_queryset(), pk=pk)
    return render(
        request,
        "professionals/professional_detail.html",
        {"professional": professional, "sites": list(professional.sites.all())},
    )
