"""The CPTS's own ACI contract: its amounts per contract year, expected and paid."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from interurps.accounts import perms
from interurps.analytics import aci
from interurps.core.forms import form_submission
from interurps.cpts import selectors, services
from interurps.cpts.forms import AciContractYearForm
from interurps.cpts.models import AciContractYear, Cpts


def _cpts(pk) -> Cpts:
    return get_object_or_404(selectors.cpts_detail_queryset(), pk=pk)


@login_required
def aci_contract(request, pk):
    cpts = _cpts(pk)
    if not perms.can_view_cpts(request.user, cpts):
        raise PermissionDenied
    today = timezone.localdate()
    funding = selectors.cpts_contract_funding(cpts, as_of=today)
    recorded = {year.number for year in funding.years} if funding else set()
    return render(
        request,
        "cpts/aci_contract.html",
        {
            "cpts": cpts,
            "funding": funding,
            "today": today,
            "missing_years": [n for n in range(1, aci.CONTRACT_YEARS_MAX + 1) if n not in recorded],
            "can_edit": perms.can_edit_cpts(request.user, cpts),
        },
    )


@login_required
def aci_contract_year(request, pk, number):
    cpts = _cpts(pk)
    if not perms.can_edit_cpts(request.user, cpts):
        raise PermissionDenied
    if not 1 <= number <= aci.CONTRACT_YEARS_MAX:
        raise Http404("Année de contrat inconnue.")
    year = AciContractYear.objects.filter(cpts=cpts, number=number).first()
    starts_on = ends_on = None
    default = None
    if cpts.aci_signed_on is not None:
        starts_on, ends_on = aci.contract_year_bounds(cpts.aci_signed_on, number)
        default = aci.default_operating(cpts.population, starts_on)
    previous = (
        AciContractYear.objects.filter(cpts=cpts, number=number - 1).first() if not year else None
    )
    initial = AciContractYearForm.initial_from(year or previous, default_operating=default)
    if year is None and previous is not None:
        initial = {k: v for k, v in initial.items() if not k.startswith("achievement_")}
    form = AciContractYearForm(request.POST or None, initial=initial)
    response = form_submission(
        request,
        form,
        save=lambda data: services.aci_contract_year_set(
            cpts=cpts,
            number=number,
            operating_amount=data["operating_amount"],
            missions=data["missions"],
        ),
        message=lambda _record: f"Montants de l'année {number} du contrat ACI enregistrés.",
        next_url=lambda _record: reverse("cpts:aci_contract", args=[cpts.pk]),
    )
    if response is not None:
        return response
    return render(
        request,
        "cpts/aci_contract_year_form.html",
        {
            "cpts": cpts,
            "form": form,
            "number": number,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "default_operating": default,
            "copied_from_previous": year is None and previous is not None,
        },
    )
