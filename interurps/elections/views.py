from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from interurps.core.forms import named_unique_errors
from interurps.core.http import require as _check
from interurps.elections import perms, selectors, services
from interurps.elections.forms import (
    BallotForm,
    ElectionForm,
    OfficeForm,
    ResultsUploadForm,
    VacateForm,
)
from interurps.elections.models import Ballot, Election, Mandate
from interurps.elections.results_csv import parse_results
from interurps.organizations.models import Federation, Union


def _union(pk):
    return get_object_or_404(Union.objects.select_related("profession", "region"), pk=pk)


def _election(pk):
    return get_object_or_404(
        Election.objects.select_related("union__profession", "union__region"), pk=pk
    )


def _ballot(pk):
    return get_object_or_404(
        Ballot.objects.select_related("election__union__region", "college"), pk=pk
    )


@login_required
def union_elections(request, pk):
    union = _union(pk)
    _check(perms.can_view_elections(request.user, union))
    can_manage = perms.can_manage_elections(request.user, union)
    current = selectors.current_mandates(union)
    election_form = ElectionForm(request.POST or None)
    office_form = OfficeForm(mandates=current)
    if request.method == "POST":
        _check(can_manage)
        if election_form.is_valid():
            try:
                election = services.election_create(union=union, **election_form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(named_unique_errors(error).messages))
            else:
                messages.success(request, "Élection créée : renseignez ses scrutins.")
                return redirect(election)
    vacancies = [(e, selectors.election_vacancies(e)) for e in union.elections.all()]
    return render(
        request,
        "elections/union_elections.html",
        {
            "union": union,
            "elections": selectors.elections_of_union(union),
            "current": current,
            "past": selectors.past_mandates(union),
            "partial_needed": [e for e, v in vacancies if v and v.partial_election_needed],
            "can_manage": can_manage,
            "election_form": election_form,
            "office_form": office_form,
        },
    )


@login_required
@require_POST
def office_assign(request, pk):
    union = _union(pk)
    _check(perms.can_manage_elections(request.user, union))
    form = OfficeForm(request.POST, mandates=selectors.current_mandates(union))
    if form.is_valid():
        try:
            services.office_assign(**form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Fonction enregistrée.")
    else:
        messages.error(
            request, "Fonction non enregistrée : vérifiez l'élu·e, la fonction et la date."
        )
    return redirect("elections:union", union.pk)


def _ballot_rows(election):
    rows = []
    for ballot in election.ballots.select_related("college").prefetch_related(
        "lists__candidates", "mandates__candidate__candidate_list", "mandates__replaced_by"
    ):
        seats, source = selectors.ballot_seats(ballot)
        rows.append(
            {
                "ballot": ballot,
                "seats": seats,
                "seats_source": source,
                "table": selectors.calculation_table(ballot),
                "divisors": range(1, (ballot.result or {}).get("seats_total", 0) + 1),
                "vacancies": selectors.ballot_vacancies(ballot),
                "mandates": ballot.mandates.select_related(
                    "candidate__candidate_list", "replaces__candidate"
                ).order_by(
                    "-candidate__candidate_list__votes", "candidate__position", "started_on"
                ),
            }
        )
    return rows


@login_required
def election_detail(request, pk):
    election = _election(pk)
    _check(perms.can_view_elections(request.user, election.union))
    can_manage = perms.can_manage_elections(request.user, election.union)
    rows = _ballot_rows(election)
    if can_manage:
        for row in rows:
            row["form"] = BallotForm(instance=row["ballot"], prefix=f"b{row['ballot'].pk}")
            row["upload_form"] = ResultsUploadForm(prefix=f"u{row['ballot'].pk}")
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "rows": rows,
            "can_manage": can_manage,
            "vacancies": selectors.election_vacancies(election),
        },
    )


@login_required
@require_POST
def ballot_update(request, pk):
    ballot = _ballot(pk)
    _check(perms.can_manage_elections(request.user, ballot.election.union))
    form = BallotForm(request.POST, instance=Ballot.objects.get(pk=pk), prefix=f"b{pk}")
    if form.is_valid():
        try:
            services.ballot_update(ballot=ballot, data=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{ballot.label} : paramètres enregistrés.")
    else:
        messages.error(
            request,
            f"{ballot.label} : "
            + " ".join(f"{form.fields[f].label} : {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect(ballot.election)


@login_required
@require_POST
def ballot_upload(request, pk):
    ballot = _ballot(pk)
    _check(perms.can_manage_elections(request.user, ballot.election.union))
    form = ResultsUploadForm(request.POST, request.FILES, prefix=f"u{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(ballot.election)
    parsed = parse_results(form.cleaned_data["file"].read())
    try:
        services.ballot_results_replace(ballot=ballot, parsed=parsed)
    except ValidationError as error:
        messages.error(request, "Résultats non importés. " + " ".join(error.messages))
    else:
        count = sum(len(p.candidates) for p in parsed.lists)
        messages.success(
            request,
            f"{ballot.label} : {len(parsed.lists)} liste(s) et {count} candidat·es importés.",
        )
    return redirect(ballot.election)


@login_required
@require_POST
def ballot_allocate(request, pk):
    ballot = _ballot(pk)
    _check(perms.can_manage_elections(request.user, ballot.election.union))
    try:
        services.ballot_allocate(ballot=ballot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{ballot.label} : sièges répartis et élu·es proclamé·es.")
    return redirect(ballot.election)


@login_required
def mandate_vacate(request, pk):
    mandate = get_object_or_404(
        Mandate.objects.select_related(
            "union__region", "candidate__candidate_list", "ballot__election"
        ),
        pk=pk,
    )
    _check(perms.can_manage_elections(request.user, mandate.union))
    form = VacateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.mandate_vacate(mandate=mandate, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if successor:
                messages.success(
                    request,
                    f"Siège libéré ; {successor.candidate.full_name} (n° "
                    f"{successor.candidate.position}) le reprend.",
                )
            else:
                messages.warning(request, "Siège libéré ; la liste est épuisée : il reste vacant.")
            return redirect(mandate.ballot.election)
    return render(request, "elections/mandate_vacate.html", {"mandate": mandate, "form": form})


@login_required
def election_sheet(request, pk):
    """Printable results sheet (PDF) with the calculation table."""
    election = _election(pk)
    _check(perms.can_view_elections(request.user, election.union))
    from weasyprint import HTML

    html = render_to_string(
        "elections/election_sheet.html", {"election": election, "rows": _ballot_rows(election)}
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="resultats-{election.union.region_id}-'
        f'{election.union.profession_id}-{election.held_on:%Y%m%d}.pdf"'
    )
    return response


@login_required
def federation_directory(request, region_code):
    federation = get_object_or_404(
        Federation.objects.select_related("region"), region_id=region_code
    )
    _check(perms.can_view_elections(request.user, Union(region_id=region_code)))
    unions = [
        (union, selectors.current_mandates(union))
        for union in federation.region.unions.select_related("profession")
    ]
    return render(
        request, "elections/federation_directory.html", {"federation": federation, "unions": unions}
    )
