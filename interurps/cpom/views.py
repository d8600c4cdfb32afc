from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.core.dates import parse_year
from interurps.core.forms import form_submission, render_form_page
from interurps.core.http import query_int
from interurps.core.http import require as _check
from interurps.cpom import perms, selectors, services
from interurps.cpom.forms import (
    ActionForm,
    AmendmentForm,
    ContractForm,
    FreezeForm,
    FundingLineForm,
    IndicatorForm,
    MeasurementForm,
    ObjectiveForm,
    SpendingForm,
    TargetForm,
    ThemeForm,
)
from interurps.cpom.models import Action, Contract, FundingLine, Indicator, Objective, Theme
from interurps.organizations.selectors import federation_or_404 as _federation


def _contract(pk) -> Contract:
    return get_object_or_404(selectors.contract_detail_queryset(), pk=pk)


def _theme(pk) -> Theme:
    return get_object_or_404(Theme.objects.select_related("contract__federation__region"), pk=pk)


def _objective(pk) -> Objective:
    return get_object_or_404(
        Objective.objects.select_related("theme__contract__federation__region"), pk=pk
    )


def _action(pk) -> Action:
    return get_object_or_404(
        Action.objects.select_related("objective__theme__contract__federation__region"), pk=pk
    )


def _indicator(pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related(
            "objective__theme__contract__federation__region",
            "action__objective__theme__contract__federation__region",
        ),
        pk=pk,
    )


def _line(pk) -> FundingLine:
    return get_object_or_404(
        FundingLine.objects.select_related("federation__region", "contract", "action"), pk=pk
    )


def _form_page(request, *, form, federation, title, cancel_url, save, next_url, message):
    """A create/edit page: `save(cleaned_data)` calls a service; its ValidationError shows
    on the form."""
    response = form_submission(
        request, form, save=save, message=lambda _record: message, next_url=next_url
    )
    if response is not None:
        return response
    return render_form_page(
        request,
        form,
        breadcrumbs_template="cpom/_breadcrumbs.html",
        federation=federation,
        title=title,
        cancel_url=cancel_url,
    )


def _year(request, default: int) -> int:
    year = parse_year(request.GET.get("annee"))
    return year if year is not None and year >= 2000 else default


# --- federation page -----------------------------------------------------------------------


@login_required
def federation_cpom(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_cpom(request.user, federation))
    return render(
        request,
        "cpom/federation_cpom.html",
        {
            "federation": federation,
            "contracts": selectors.contracts_of(federation),
            "funding": selectors.funding_by_year(federation),
            "can_edit": perms.can_edit_cpom(request.user, federation),
        },
    )


@login_required
def contract_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=ContractForm(request.POST or None, federation=federation),
        federation=federation,
        title="Nouveau CPOM",
        cancel_url=reverse("cpom:federation_cpom", args=[region_code]),
        save=lambda data: services.contract_create(federation=federation, **data),
        next_url=lambda contract: contract.get_absolute_url(),
        message="CPOM enregistré.",
    )


@login_required
def funding_line_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_edit_funding(request.user, federation))
    return _form_page(
        request,
        form=FundingLineForm(
            request.POST or None,
            federation=federation,
            initial={
                "contract": query_int(request, "cpom"),
                "year": parse_year(request.GET.get("annee")),
            },
        ),
        federation=federation,
        title="Nouvelle ligne de financement",
        cancel_url=reverse("cpom:federation_cpom", args=[region_code]),
        save=lambda data: services.funding_line_create(federation=federation, **data),
        next_url=lambda line: line.get_absolute_url(),
        message="Ligne de financement enregistrée.",
    )


# --- contract dashboard --------------------------------------------------------------------


def _funding_chart(funding) -> dict:
    """Geometry of a grouped horizontal bar chart (allocated, spent) per year, as SVG."""
    row_height, label_width, bar_width = 56, 70, 420
    maximum = max((max(y.allocated, y.spent) for y in funding), default=0) or 1
    rows = []
    for index, year in enumerate(sorted(funding, key=lambda y: y.year)):
        top = index * row_height
        allocated_width = round(float(bar_width * year.allocated / maximum), 1)
        spent_width = round(float(bar_width * year.spent / maximum), 1)
        rows.append(
            {
                "year": year.year,
                "allocated": year.allocated,
                "spent": year.spent,
                "rate": year.execution_rate,
                "label_y": top + 24,
                "allocated_y": top + 4,
                "spent_y": top + 26,
                "allocated_width": allocated_width,
                "spent_width": spent_width,
                "allocated_text_x": label_width + allocated_width + 6,
                "spent_text_x": label_width + spent_width + 6,
                "allocated_text_y": top + 18,
                "spent_text_y": top + 40,
            }
        )
    return {
        "rows": rows,
        "height": max(row_height * len(rows), row_height),
        "label_width": label_width,
        "label_x": label_width - 8,
        "width": label_width + bar_width + 200,
    }


@login_required
def contract_detail(request, pk):
    contract = _contract(pk)
    federation = contract.federation
    _check(perms.can_view_cpom(request.user, federation))
    today_year = timezone.localdate().year
    default_year = min(max(today_year, contract.start_year), contract.end_year)
    year = _year(request, default_year)
    dashboard = selectors.contract_dashboard(contract, year)
    return render(
        request,
        "cpom/contract_detail.html",
        {
            "contract": contract,
            "federation": federation,
            "year": year,
            "years": contract.years,
            "dashboard": dashboard,
            "chart": _funding_chart(dashboard["funding"]),
            "amendments": contract.amendments.all(),
            "can_edit": perms.can_edit_cpom(request.user, federation),
        },
    )


@login_required
def contract_edit(request, pk):
    contract = _contract(pk)
    federation = contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=ContractForm(request.POST or None, instance=contract, federation=federation),
        federation=federation,
        title=f"Modifier le CPOM « {contract} »",
        cancel_url=contract.get_absolute_url(),
        save=lambda data: services.contract_update(contract=contract, data=data),
        next_url=lambda record: record.get_absolute_url(),
        message="CPOM enregistré.",
    )


@login_required
def amendment_create(request, pk):
    contract = _contract(pk)
    _check(perms.can_edit_cpom(request.user, contract.federation))
    return _form_page(
        request,
        form=AmendmentForm(request.POST or None),
        federation=contract.federation,
        title=f"Nouvel avenant au CPOM « {contract} »",
        cancel_url=contract.get_absolute_url(),
        save=lambda data: services.amendment_create(contract=contract, **data),
        next_url=lambda record: contract.get_absolute_url(),
        message="Avenant enregistré.",
    )


@login_required
def theme_create(request, pk):
    contract = _contract(pk)
    _check(perms.can_edit_cpom(request.user, contract.federation))
    return _form_page(
        request,
        form=ThemeForm(request.POST or None, initial={"order": contract.themes.count() + 1}),
        federation=contract.federation,
        title=f"Nouvelle thématique du CPOM « {contract} »",
        cancel_url=contract.get_absolute_url(),
        save=lambda data: services.theme_create(contract=contract, **data),
        next_url=lambda record: f"{contract.get_absolute_url()}#thematique-{record.pk}",
        message="Thématique enregistrée.",
    )


@login_required
def theme_edit(request, pk):
    theme = _theme(pk)
    contract = theme.contract
    _check(perms.can_edit_cpom(request.user, contract.federation))
    return _form_page(
        request,
        form=ThemeForm(request.POST or None, instance=theme),
        federation=contract.federation,
        title=f"Modifier la thématique « {theme.title} »",
        cancel_url=contract.get_absolute_url(),
        save=lambda data: services.theme_update(theme=theme, data=data),
        next_url=lambda record: f"{contract.get_absolute_url()}#thematique-{record.pk}",
        message="Thématique enregistrée.",
    )


@login_required
def objective_create(request, pk):
    theme = _theme(pk)
    contract = theme.contract
    _check(perms.can_edit_cpom(request.user, contract.federation))
    return _form_page(
        request,
        form=ObjectiveForm(request.POST or None, initial={"order": theme.objectives.count() + 1}),
        federation=contract.federation,
        title=f"Nouvel objectif — {theme}",
        cancel_url=contract.get_absolute_url(),
        save=lambda data: services.objective_create(theme=theme, **data),
        next_url=lambda record: f"{contract.get_absolute_url()}#objectif-{record.pk}",
        message="Objectif enregistré.",
    )


@login_required
def objective_edit(request, pk):
    objective = _objective(pk)
    contract = objective.theme.contract
    _check(perms.can_edit_cpom(request.user, contract.federation))
    return _form_page(
        request,
        form=ObjectiveForm(request.POST or None, instance=objective),
        federation=contract.federation,
        title="Modifier l'objectif",
        cancel_url=contract.get_absolute_url(),
        save=lambda data: services.objective_update(objective=objective, data=data),
        next_url=lambda record: f"{contract.get_absolute_url()}#objectif-{record.pk}",
        message="Objectif enregistré.",
    )


# --- actions -------------------------------------------------------------------------------


@login_required
def action_create(request, pk):
    objective = _objective(pk)
    federation = objective.theme.contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=ActionForm(request.POST or None, federation=federation),
        federation=federation,
        title=f"Nouvelle action — {objective}",
        cancel_url=objective.theme.contract.get_absolute_url(),
        save=lambda data: services.action_create(objective=objective, **data),
        next_url=lambda record: record.get_absolute_url(),
        message="Action enregistrée.",
    )


@login_required
def action_detail(request, pk):
    action = _action(pk)
    contract = action.objective.theme.contract
    _check(perms.can_view_cpom(request.user, contract.federation))
    year = _year(
        request, min(max(timezone.localdate().year, contract.start_year), contract.end_year)
    )
    indicators = action.indicators.prefetch_related("targets", "measurements")
    return render(
        request,
        "cpom/action_detail.html",
        {
            "action": action,
            "contract": contract,
            "federation": contract.federation,
            "year": year,
            "indicator_rows": [
                selectors.indicator_row(i, year, contract.federation) for i in indicators
            ],
            "funding_lines": action.funding_lines.order_by("-year"),
            "can_edit": perms.can_edit_cpom(request.user, contract.federation),
        },
    )


@login_required
def action_edit(request, pk):
    action = _action(pk)
    federation = action.objective.theme.contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=ActionForm(request.POST or None, instance=action, federation=federation),
        federation=federation,
        title=f"Modifier l'action « {action} »",
        cancel_url=action.get_absolute_url(),
        save=lambda data: services.action_update(action=action, data=data),
        next_url=lambda record: record.get_absolute_url(),
        message="Action enregistrée.",
    )


# --- indicators ----------------------------------------------------------------------------


def _indicator_create(request, *, objective=None, action=None):
    owner = objective or action.objective
    federation = owner.theme.contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=IndicatorForm(request.POST or None),
        federation=federation,
        title=f"Nouvel indicateur — {objective or action}",
        cancel_url=(action or owner.theme.contract).get_absolute_url(),
        save=lambda data: services.indicator_create(objective=objective, action=action, **data),
        next_url=lambda record: record.get_absolute_url(),
        message="Indicateur enregistré.",
    )


@login_required
def indicator_create_for_objective(request, pk):
    return _indicator_create(request, objective=_objective(pk))


@login_required
def indicator_create_for_action(request, pk):
    return _indicator_create(request, action=_action(pk))


@login_required
def indicator_detail(request, pk):
    indicator = _indicator(pk)
    contract = indicator.contract
    federation = contract.federation
    _check(perms.can_view_cpom(request.user, federation))
    indicator = Indicator.objects.prefetch_related("targets", "measurements").get(pk=pk)
    return render(
        request,
        "cpom/indicator_detail.html",
        {
            "indicator": indicator,
            "contract": contract,
            "federation": federation,
            "rows": [selectors.indicator_row(indicator, y, federation) for y in contract.years],
            "measurements": indicator.measurements.select_related("entered_by"),
            "can_edit": perms.can_edit_cpom(request.user, federation),
            "target_form": TargetForm(),
            "measurement_form": MeasurementForm(),
            "freeze_form": FreezeForm(),
        },
    )


@login_required
def indicator_edit(request, pk):
    indicator = _indicator(pk)
    federation = indicator.contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=IndicatorForm(request.POST or None, instance=indicator),
        federation=federation,
        title=f"Modifier l'indicateur « {indicator} »",
        cancel_url=indicator.get_absolute_url(),
        save=lambda data: services.indicator_update(indicator=indicator, data=data),
        next_url=lambda record: record.get_absolute_url(),
        message="Indicateur enregistré.",
    )


@login_required
def target_set(request, pk):
    indicator = _indicator(pk)
    federation = indicator.contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=TargetForm(request.POST or None),
        federation=federation,
        title=f"Cible annuelle — {indicator}",
        cancel_url=indicator.get_absolute_url(),
        save=lambda data: services.target_set(indicator=indicator, **data),
        next_url=lambda record: indicator.get_absolute_url(),
        message="Cible enregistrée.",
    )


@login_required
def measurement_create(request, pk):
    indicator = _indicator(pk)
    federation = indicator.contract.federation
    _check(perms.can_edit_cpom(request.user, federation))
    return _form_page(
        request,
        form=MeasurementForm(request.POST or None),
        federation=federation,
        title=f"Nouvelle mesure — {indicator}",
        cancel_url=indicator.get_absolute_url(),
        save=lambda data: services.measurement_create(indicator=indicator, by=request.user, **data),
        next_url=lambda record: indicator.get_absolute_url(),
        message="Mesure enregistrée.",
    )


@login_required
@require_POST
def indicator_freeze(request, pk):
    indicator = _indicator(pk)
    _check(perms.can_edit_cpom(request.user, indicator.contract.federation))
    form = FreezeForm(request.POST)
    if form.is_valid():
        try:
            services.measurement_freeze(
                indicator=indicator, year=form.cleaned_data["year"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Valeur figée.")
    else:
        messages.error(request, "Indiquez l'année à figer.")
    return redirect(indicator)


# --- funding -------------------------------------------------------------------------------


@login_required
def funding_line_detail(request, pk):
    line = _line(pk)
    _check(perms.can_view_funding(request.user, line.federation))
    spendings = list(selectors.spendings_of(line))
    spent = sum((s.amount for s in spendings), selectors.ZERO)
    return render(
        request,
        "cpom/funding_line_detail.html",
        {
            "line": line,
            "federation": line.federation,
            "spendings": spendings,
            "spent": spent,
            "balance": line.amount - spent,
            "rate": selectors.rules.execution_rate(spent, line.amount),
            "can_edit": perms.can_edit_funding(request.user, line.federation),
        },
    )


@login_required
def funding_line_edit(request, pk):
    line = _line(pk)
    _check(perms.can_edit_funding(request.user, line.federation))
    return _form_page(
        request,
        form=FundingLineForm(request.POST or None, instance=line, federation=line.federation),
        federation=line.federation,
        title=f"Modifier la ligne « {line.label} »",
        cancel_url=line.get_absolute_url(),
        save=lambda data: services.funding_line_update(line=line, data=data),
        next_url=lambda record: record.get_absolute_url(),
        message="Ligne de financement enregistrée.",
    )


@login_required
def spending_create(request, pk):
    line = _line(pk)
    _check(perms.can_edit_funding(request.user, line.federation))
    return _form_page(
        request,
        form=SpendingForm(request.POST or None),
        federation=line.federation,
        title=f"Nouvelle dépense — {line}",
        cancel_url=line.get_absolute_url(),
        save=lambda data: services.spending_create(funding_line=line, **data),
        next_url=lambda record: line.get_absolute_url(),
        message="Dépense enregistrée.",
    )
