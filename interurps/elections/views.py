from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.analytics import seats as seat_rules
from interurps.core.downloads import download_name, pdf_response
from interurps.core.forms import add_validation_errors, named_unique_errors
from interurps.core.http import query_int
from interurps.core.http import require as _check
from interurps.elections import perms, selectors, services
from interurps.elections.forms import (
    BallotForm,
    DesignatedMemberForm,
    DesignationForm,
    ElectionForm,
    OfficeForm,
    OrganisationForm,
    ResultGridFormSet,
    ResultsUploadForm,
    VacateForm,
)
from interurps.elections.models import Ballot, Designation, Election, Mandate
from interurps.elections.results_csv import ParsedResults, parse_results
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
    designated = seat_rules.is_designated(union.profession_id)
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
            "designated": designated,
            "mode_source": "code de la santé publique, art. L4031-2",
            "elections": selectors.elections_of_union(union),
            "designations": selectors.designations_of_union(union),
            "current": current,
            "past": selectors.past_mandates(union),
            "today": timezone.localdate(),
            "partial_needed": [e for e, v in vacancies if v and v.partial_election_needed],
            "can_manage": can_manage,
            "election_form": election_form,
            "designation_form": DesignationForm(),
            "office_form": office_form,
        },
    )


@login_required
@require_POST
def designation_create(request, pk):
    union = _union(pk)
    _check(perms.can_manage_elections(request.user, union))
    form = DesignationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Désignation non enregistrée : "
            + " ".join(e for errors in form.errors.values() for e in errors),
        )
        return redirect("elections:union", union.pk)
    try:
        designation = services.designation_create(union=union, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("elections:union", union.pk)
    messages.success(
        request, "Désignation créée : ajoutez les organisations syndicales et leurs membres."
    )
    return redirect(designation)


def _designation(pk):
    return get_object_or_404(
        Designation.objects.select_related("union__profession", "union__region"), pk=pk
    )


def _designation_page(request, designation, *, organisation_form=None, member_form=None):
    can_manage = perms.can_manage_elections(request.user, designation.union)
    organisations = list(selectors.designation_organisations(designation))
    return render(
        request,
        "elections/designation_detail.html",
        {
            "designation": designation,
            "organisations": organisations,
            "audience_total": sum(o.audience_share for o in organisations),
            "seats_total": sum(len(o.members.all()) for o in organisations),
            "source": seat_rules.DESIGNATION_SOURCE,
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "organisation_form": organisation_form or OrganisationForm(prefix="org"),
            "member_form": member_form
            or DesignatedMemberForm(designation=designation, prefix="member"),
        },
    )


@login_required
def designation_detail(request, pk):
    designation = _designation(pk)
    _check(perms.can_view_elections(request.user, designation.union))
    return _designation_page(request, designation)


@login_required
@require_POST
def designation_organisation_add(request, pk):
    designation = _designation(pk)
    _check(perms.can_manage_elections(request.user, designation.union))
    form = OrganisationForm(request.POST, prefix="org")
    if form.is_valid():
        try:
            organisation = services.designation_organisation_add(
                designation=designation, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Organisation « {organisation.name} » ajoutée.")
            return redirect(designation)
    return _designation_page(request, designation, organisation_form=form)


@login_required
@require_POST
def designation_member_add(request, pk):
    designation = _designation(pk)
    _check(perms.can_manage_elections(request.user, designation.union))
    form = DesignatedMemberForm(request.POST, designation=designation, prefix="member")
    if form.is_valid():
        try:
            mandate = services.designation_member_add(**form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{mandate.full_name} désigné·e par {mandate.group_name}.")
            return redirect(designation)
    return _designation_page(request, designation, member_form=form)


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
                "tie_words": selectors.tie_breakers_in_words(ballot),
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
        Mandate.objects.select_related("union__region", *selectors.MANDATE_RELATED), pk=pk
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
            elif mandate.designated_member_id:
                messages.warning(
                    request,
                    f"Siège libéré : {mandate.group_name} désigne la personne qui le reprend.",
                )
            else:
                messages.warning(request, "Siège libéré ; la liste est épuisée : il reste vacant.")
            return redirect(mandate.origin_url)
    return render(request, "elections/mandate_vacate.html", {"mandate": mandate, "form": form})


def _grid_initial(ballot):
    return [
        {
            "name": candidate_list.name,
            "syndicate": candidate_list.syndicate,
            "votes": str(candidate_list.votes),
            "candidates": "\n".join(
                c.full_name + (f" ; {c.birth_date:%d/%m/%Y}" if c.birth_date else "")
                for c in candidate_list.candidates.all()
            ),
        }
        for candidate_list in ballot.lists.prefetch_related("candidates")
    ]


GRID_BLANK_ROWS = 3
GRID_MAX_ROWS = 50


@login_required
def ballot_grid(request, pk):
    """Type the results in a grid, one row per list: all rows are saved, or none."""
    ballot = _ballot(pk)
    _check(perms.can_manage_elections(request.user, ballot.election.union))
    more_rows = None
    if request.method == "POST":
        formset = ResultGridFormSet(request.POST, prefix="grille")
        if formset.is_valid():
            parsed = ParsedResults(lists=formset.parsed_lists())
            try:
                services.ballot_results_replace(ballot=ballot, parsed=parsed)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(
                    error.messages, renderer=formset.renderer
                )
            else:
                count = sum(len(p.candidates) for p in parsed.lists)
                messages.success(
                    request,
                    f"{ballot.label} : résultats enregistrés "
                    f"({len(parsed.lists)} liste{'s' if len(parsed.lists) > 1 else ''}, "
                    f"{count} candidat·e{'s' if count > 1 else ''}).",
                )
                return redirect(f"{ballot.election.get_absolute_url()}#scrutin-{ballot.pk}")
    else:
        initial = _grid_initial(ballot)
        blank = query_int(request, "lignes", GRID_BLANK_ROWS, minimum=1, maximum=GRID_MAX_ROWS)
        formset = ResultGridFormSet(initial=initial + [{}] * blank, prefix="grille")
        if blank < GRID_MAX_ROWS:
            more_rows = min(GRID_MAX_ROWS, blank + GRID_BLANK_ROWS)
    return render(
        request,
        "elections/ballot_grid.html",
        {
            "ballot": ballot,
            "election": ballot.election,
            "formset": formset,
            "more_rows": more_rows,
        },
    )


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
    return pdf_response(
        pdf, download_name("resultats", election.union.name, day=election.held_on, extension="pdf")
    )


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
        request,
        "elections/federation_directory.html",
        {"federation": federation, "unions": unions, "today": timezone.localdate()},
    )
