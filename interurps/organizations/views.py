from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from interurps.accounts import perms
from interurps.organizations import selectors, services
from interurps.organizations.forms import FederationContactForm
from interurps.organizations.models import Union
from interurps.organizations.selectors import federation_or_404


@login_required
def federation_detail(request, region_code):
    federation = federation_or_404(region_code)
    if not perms.can_view_region_workspace(request.user, federation.region):
        raise PermissionDenied
    return render(
        request,
        "organizations/federation_detail.html",
        {
            "federation": federation,
            "unions": selectors.unions_of_region(federation.region),
            "partners": selectors.partners_of_region(federation.region),
            "can_edit": perms.can_edit_federation(request.user, federation),
            "can_view_federation_team": perms.can_view_team(request.user, federation.region),
        },
    )


@login_required
def federation_edit(request, region_code):
    federation = federation_or_404(region_code)
    if not perms.can_edit_federation(request.user, federation):
        raise PermissionDenied
    form = FederationContactForm(request.POST or None, instance=federation)
    if request.method == "POST" and form.is_valid():
        services.federation_update(federation=federation, data=form.cleaned_data)
        messages.success(request, "Les coordonnées de la fédération ont été enregistrées.")
        return redirect(federation)
    return render(
        request, "organizations/federation_edit.html", {"federation": federation, "form": form}
    )


@login_required
def team(request, region_code):
    federation = federation_or_404(region_code)
    if not perms.can_view_team(request.user, federation.region):
        raise PermissionDenied
    return render(
        request,
        "organizations/team.html",
        {"federation": federation, "assignments": selectors.team_of_region(federation.region)},
    )


@login_required
def union_detail(request, pk):
    union = get_object_or_404(Union.objects.select_related("profession", "region"), pk=pk)
    if not perms.can_view_region_workspace(request.user, union.region):
        raise PermissionDenied
    return render(
        request,
        "organizations/union_detail.html",
        {
            "union": union,
            "colleges": union.profession.colleges.all(),
            "elected_members": selectors.elected_members_of_union(union),
        },
    )
