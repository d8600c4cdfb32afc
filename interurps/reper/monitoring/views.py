"""REPER monitoring pages: work queues, the coordinator's backlog, indicators, their map
and the pseudonymised evaluation export. Thin: the rules live in `perms`, `scopes`,
`selectors`, `services` and `exports`."""

import hashlib
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from interurps.core import exports as core_exports
from interurps.core.downloads import download_name
from interurps.core.forms import BoundedForm
from interurps.core.http import query_int, query_text, require
from interurps.core.widgets import DateInput
from interurps.cpts.models import Cpts
from interurps.geography.geojson import geojson_response, simplified_collection
from interurps.geography.models import Commune, Region
from interurps.reper.models import Assessment, Domain
from interurps.reper.monitoring import exports, perms, scopes, selectors, services

PAGE_SIZE = 50
# The map's colours (number of people screened), lightest first; masked cells in grey.
PALETTE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"]
NONE_COLOR = "#ffffff"
MASKED_COLOR = "#d9d9d9"
MAP_SECONDS = 3_600


def _region(region_code) -> Region:
    return get_object_or_404(Region, code=region_code)


def _queue_filters(request):
    kind = query_text(request, "type", max_length=20)
    domain = query_text(request, "domaine", max_length=20)
    professional = query_text(request, "professionnel", max_length=12)
    return {
        "kind": kind if kind in selectors.WORK_KINDS else "",
        "domain": domain if domain in Domain.values else "",
        "professional": "none" if professional == "none" else query_int(request, "professionnel"),
    }


def _filter_query(filters) -> str:
    params = {
        "type": filters["kind"],
        "domaine": filters["domain"],
        "professionnel": filters["professional"] or "",
    }
    return urlencode({k: v for k, v in params.items() if v})


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(query_int(request, "page", 1, minimum=1))


@login_required
def my_queue(request, region_code):
    """The user's own work queue in the region: the people they follow (a professional)
    or the people of their CPTS (a coordinator)."""
    region = _region(region_code)
    require(perms.can_view_queue(request.user, region))
    own = scopes.professional_ids_of(request.user, region)
    coordinated = scopes.coordinated_cpts_ids(request.user, region)
    items = selectors.queue(
        scopes.people_visible_to(request.user, region),
        own_professionals=own if own and not coordinated else None,
    )
    filters = _queue_filters(request)
    shown = selectors.filter_items(items, **filters)
    return render(
        request,
        "reper/monitoring/queue.html",
        {
            "region": region,
            "summary": selectors.backlog(items),
            "page": _page(request, shown),
            "shown_count": len(shown),
            "filters": filters,
            "filter_query": _filter_query(filters),
            "work_kinds": selectors.WORK_KINDS,
            "domains": Domain.choices,
            "coordinated": Cpts.objects.filter(pk__in=coordinated).order_by("name"),
            "settings": _queue_settings(),
        },
    )


def _queue_settings() -> dict:
    return {
        "rescreen_months": selectors.rescreen_months(),
        "plan_review_days": selectors.plan_review_days(),
    }


class AssignForm(BoundedForm):
    professional = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Confier à",
        empty_label="Personne (non confiée)",
        error_messages={"invalid_choice": "Ce·tte professionnel·le n'est pas de la CPTS."},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals


@login_required
def cpts_backlog(request, pk):
    """The coordinator's backlog at a glance: what is waiting in the CPTS, by kind of work,
    domain and professional, the oldest items, and the list with assignment."""
    cpts = get_object_or_404(Cpts.objects.select_related("region"), pk=pk)
    require(perms.can_view_cpts_backlog(request.user, cpts))
    items = selectors.queue(scopes.people_of_cpts(cpts))
    filters = _queue_filters(request)
    shown = selectors.filter_items(items, **filters)
    professionals = list(selectors.cpts_professionals(cpts))
    return render(
        request,
        "reper/monitoring/backlog.html",
        {
            "cpts": cpts,
            "region": cpts.region,
            "summary": selectors.backlog(items),
            "page": _page(request, shown),
            "shown_count": len(shown),
            "filters": filters,
            "filter_query": _filter_query(filters),
            "work_kinds": selectors.WORK_KINDS,
            "domains": Domain.choices,
            "professionals": professionals,
            "assessment_kind": selectors.ASSESSMENT,
            "next": request.get_full_path(),
            "settings": _queue_settings(),
        },
    )


@login_required
@require_POST
def assessment_assign(request, pk):
    """Entrust an overdue (or any to-do) assessment to a professional of the CPTS."""
    assessment = get_object_or_404(Assessment.objects.select_related("person__cpts__region"), pk=pk)
    require(perms.can_assign_assessment(request.user, assessment))
    cpts = assessment.person.cpts
    form = AssignForm(request.POST, professionals=selectors.cpts_professionals(cpts))
    back = reverse("reper:cpts_backlog", args=[cpts.pk])
    if form.is_valid():
        target = form.cleaned_data["next"]
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = target
        professional = form.cleaned_data["professional"]
        try:
            services.assessment_assign(assessment=assessment, professional=professional)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            who = str(professional) if professional else "personne"
            messages.success(
                request,
                f"Évaluation {assessment.get_domain_display().lower()} de "
                f"{assessment.person.pseudonym} confiée à {who}.",
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(back)


# --- indicators ------------------------------------------------------------------------


class IndicatorFilters(BoundedForm):
    cpts = forms.ModelChoiceField(
        queryset=None, required=False, label="CPTS", empty_label="Toutes les CPTS"
    )
    start = forms.DateField(required=False, label="Du", widget=DateInput)
    end = forms.DateField(required=False, label="Au", widget=DateInput)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cpts"].queryset = (
            Cpts.objects.filter(region=region, reper_people__isnull=False)
            .distinct()
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "La fin de la période précède son début.")
        return data


def _indicator_filters(request, region):
    query = {
        "cpts": query_text(request, "cpts", max_length=12),
        "start": query_text(request, "start", max_length=10),
        "end": query_text(request, "end", max_length=10),
    }
    form = IndicatorFilters({k: v for k, v in query.items() if v}, region=region)
    if form.is_valid():
        return form, form.cleaned_data
    return form, {"cpts": None, "start": None, "end": None}


@login_required
def indicators(request, region_code):
    region = _region(region_code)
    require(perms.can_view_indicators(request.user, region))
    form, chosen = _indicator_filters(request, region)
    coordinated = scopes.coordinated_cpts_ids(request.user, region)
    own_cpts = Cpts.objects.filter(pk__in=coordinated).order_by("name").first()
    figures = selectors.indicators(
        region,
        cpts=chosen["cpts"],
        start=chosen["start"],
        end=chosen["end"],
        names_for_cpts=own_cpts,
    )
    query = request.GET.urlencode()
    return render(
        request,
        "reper/monitoring/indicators.html",
        {
            "region": region,
            "form": form,
            "figures": figures,
            "own_cpts": own_cpts,
            "map_url": _map_url(region, chosen, query),
            "legend": _legend(),
            "small_count": selectors.SMALL_COUNT,
            "can_export": perms.can_export_evaluation(request.user, region),
            "query": query,
        },
    )


def _map_url(region, chosen, query) -> str:
    version = hashlib.sha256(f"{query}|{timezone.localdate().isoformat()}".encode()).hexdigest()[
        :12
    ]
    return f"{reverse('reper:indicators_map', args=[region.code])}?{query}&v={version}"


# Classes of people screened per commune (5 and over: below is masked).
MAP_CLASSES = ((5, 9), (10, 19), (20, 49), (50, 99), (100, None))


def _class_color(people: int) -> str:
    for index, (low, high) in enumerate(MAP_CLASSES):
        if people >= low and (high is None or people <= high):
            return PALETTE[index]
    return PALETTE[-1]


def _legend() -> list[tuple[str, str]]:
    legend = [(NONE_COLOR, "aucune personne repérée"), (MASKED_COLOR, "moins de 5 (masqué)")]
    for index, (low, high) in enumerate(MAP_CLASSES):
        text = f"de {low} à {high}" if high is not None else f"{low} et plus"
        legend.append((PALETTE[index], text))
    return legend


@login_required
def indicators_map(request, region_code):
    """GeoJSON of the people screened per commune (communes with fewer than 5: masked)."""
    region = _region(region_code)
    require(perms.can_view_indicators(request.user, region))
    _, chosen = _indicator_filters(request, region)
    counts = selectors.people_screened_by_commune(
        region, cpts=chosen["cpts"], start=chosen["start"], end=chosen["end"]
    )
    geometries = dict(
        Commune.objects.filter(code__in=[c.code for c in counts]).values_list("code", "geometry")
    )
    features = []
    for count in counts:
        if not geometries.get(count.code):
            continue
        if count.masked:
            color, text = MASKED_COLOR, f"moins de {selectors.SMALL_COUNT} personnes repérées"
        elif count.people == 0:
            color, text = NONE_COLOR, "aucune personne repérée"
        else:
            color, text = _class_color(count.people), f"{count.people} personnes repérées"
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geometries[count.code]),
                "properties": {
                    "code": count.code,
                    "name": count.name,
                    "label": count.name,
                    "detail": text,
                    "color": color,
                    "kind": "choropleth",
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return geojson_response(request, simplified_collection(collection), max_age=MAP_SECONDS)


# --- evaluation export -------------------------------------------------------------------


@login_required
def evaluation_export(request, region_code):
    """The export's page; `?format=csv` or `?format=xlsx` downloads it."""
    region = _region(region_code)
    require(perms.can_export_evaluation(request.user, region))
    form, chosen = _indicator_filters(request, region)
    export = request.GET.get("format")
    if export in ("csv", "xlsx") and form.is_valid():
        screenings = exports.consenting_screenings(
            region, cpts=chosen["cpts"], start=chosen["start"], end=chosen["end"]
        )
        name = download_name(
            "reper-evaluation", region.name, day=timezone.localdate(), extension=export
        )
        rows = exports.rows(screenings)
        if export == "csv":
            return core_exports.csv_response(rows, header=exports.header(), filename=name)
        sheet = core_exports.Sheet("Repérages", rows, header=exports.header(), freeze_header=True)
        return core_exports.xlsx_response([sheet], filename=name)
    return render(
        request,
        "reper/monitoring/export.html",
        {
            "region": region,
            "form": form,
            "query": request.GET.urlencode(),
            "header": exports.header(),
            "commune_min_population": exports.COMMUNE_MIN_POPULATION,
        },
    )
