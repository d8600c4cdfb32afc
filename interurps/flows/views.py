import json

import shapely
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from interurps.analytics import territory
from interurps.core import french
from interurps.core.forms import add_validation_errors
from interurps.core.http import require as _check
from interurps.flows import perms, selectors, services
from interurps.flows.forms import (
    AdoptForm,
    FlowGenerateForm,
    FlowImportForm,
    PoleForm,
    ProposalForm,
)
from interurps.flows.models import TerritoryProposal
from interurps.geography.geojson import geojson_response, simplified_collection
from interurps.geography.models import Department
from interurps.organizations.selectors import federation_or_404

# Territory colours on the maps (qualitative, colour-blind safe: Okabe & Ito, then Tol).
PALETTE = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#88ccee",
    "#44aa99",
    "#117733",
    "#999933",
    "#aa4499",
)
MAP_SECONDS = 3600


def _percent(value) -> str:
    return french.percent(value * 100, 1) if value is not None else "—"


def _flow_set(pk):
    flow_set = get_object_or_404(selectors.flow_set_queryset(), pk=pk)
    return flow_set


@login_required
def federation(request, region_code):
    fed = federation_or_404(region_code)
    region = fed.region
    _check(perms.can_view_flows(request.user, region))
    return render(
        request,
        "flows/federation.html",
        {
            "federation": fed,
            "region": region,
            "flow_sets": selectors.flow_sets_of(region),
            "can_edit": perms.can_edit_flows(request.user, region),
        },
    )


def _flow_set_form_page(request, fed, form, *, title, intro, save, multipart=False):
    if request.method == "POST" and form.is_valid():
        try:
            flow_set = save(form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"Jeu de flux « {flow_set.name} » enregistré : "
                f"{french.count(flow_set.pair_count, 'couple de communes,couples de communes')}.",
            )
            return redirect(flow_set.get_absolute_url())
    return render(
        request,
        "flows/flow_set_form.html",
        {"federation": fed, "form": form, "title": title, "intro": intro, "multipart": multipart},
    )


@login_required
def flow_set_import(request, region_code):
    fed = federation_or_404(region_code)
    _check(perms.can_edit_flows(request.user, fed.region))
    form = FlowImportForm(request.POST or None, request.FILES or None)
    return _flow_set_form_page(
        request,
        fed,
        form,
        title="Importer des flux de patientèle",
        intro="Tout ou rien : une seule ligne en erreur et rien n'est enregistré.",
        multipart=True,
        save=lambda data: services.flow_set_import(
            region=fed.region,
            name=data["name"],
            source=data["source"],
            year=data["year"],
            profession=data["profession"],
            chunks=data["file"].chunks(),
            by=request.user,
        ),
    )


@login_required
def flow_set_generate(request, region_code):
    fed = federation_or_404(region_code)
    _check(perms.can_edit_flows(request.user, fed.region))
    form = FlowGenerateForm(request.POST or None)
    return _flow_set_form_page(
        request,
        fed,
        form,
        title="Générer des flux synthétiques",
        intro=(
            "Modèle gravitaire : populations et distances réelles des communes de la région, "
            "soins offerts là où le répertoire place des professionnels libéraux. Pour la "
            "démonstration et les essais : ces flux ne sont pas des données observées."
        ),
        save=lambda data: services.flow_set_generate(
            region=fed.region,
            name=data["name"],
            year=data["year"],
            profession=data["profession"],
            seed=data["seed"],
            by=request.user,
        ),
    )


def _basin_features(rows, area) -> dict:
    geometries = dict(zip(area.codes[: area.size], area.geometries[: area.size], strict=True))
    features = []
    for number, row in enumerate(rows):
        outline = territory.dissolve(
            shapely.from_geojson(geometries[c]) for c in row.basin_codes if geometries.get(c)
        )
        if outline is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(outline)),
                "properties": {
                    "label": f"Pôle de {row.name}",
                    "detail": (
                        f"{french.count(row.basin_count, 'commune,communes')}, "
                        f"{french.count(row.basin_population, 'habitant,habitants')}"
                    ),
                    "color": PALETTE[number % len(PALETTE)],
                },
            }
        )
    return simplified_collection({"type": "FeatureCollection", "features": features})


@login_required
def flow_set(request, pk):
    record = _flow_set(pk)
    region = record.region
    _check(perms.can_view_flows(request.user, region))
    form = PoleForm(request.GET or None, region=region)
    poles = default = area = basins = None
    if request.GET and form.is_valid():
        department = get_object_or_404(Department, code=form.cleaned_data["department"])
        poles, default, area = selectors.department_poles(
            record, department, form.cleaned_data["count"]
        )
        basins = _basin_features(poles, area)
    return render(
        request,
        "flows/flow_set.html",
        {
            "flow_set": record,
            "region": region,
            "form": form,
            "poles": poles,
            "default_count": default,
            "area": area,
            "basins": basins,
            "proposals": selectors.proposals_of(record).select_related("created_by"),
            "can_edit": perms.can_edit_flows(request.user, region),
        },
    )


@login_required
def propose(request, pk):
    record = _flow_set(pk)
    region = record.region
    _check(perms.can_edit_flows(request.user, region))
    form = ProposalForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope, code = data["area"].split(":", 1)
        try:
            proposals = services.proposal_create(
                flow_set=record,
                request=services.ProposalRequest(
                    scope=scope,
                    area_code=code,
                    methods=tuple(data["methods"]),
                    within=data["within"],
                    min_population=data["min_population"],
                    max_population=data["max_population"],
                    contiguous=data["contiguous"],
                    keep_cpts=data["keep_cpts"],
                    seed=data["seed"],
                ),
                by=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Propositions calculées.")
            return redirect(proposals[0].get_absolute_url())
    return render(request, "flows/propose.html", {"flow_set": record, "form": form})


def _proposal(pk) -> TerritoryProposal:
    return get_object_or_404(selectors.proposal_queryset(), pk=pk)


def _cpts_outlines(area) -> dict:
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(cpts.geometry),
            "properties": {"label": cpts.name},
        }
        for cpts in selectors.cpts_of_area(area)
        if cpts.geometry
    ]
    return simplified_collection({"type": "FeatureCollection", "features": features})


@login_required
def proposal(request, pk):
    record = _proposal(pk)
    region = record.flow_set.region
    _check(perms.can_view_flows(request.user, region))
    territories = list(record.territories.select_related("existing_cpts", "adopted_cpts"))
    reasons = {
        "single_commune_above_max": "une seule commune dépasse déjà la population maximale",
        "no_neighbour_below_min": "sous la population minimale, sans voisin à qui la rattacher",
        "cannot_split": "au-dessus de la population maximale, impossible à redécouper",
    }
    unmet = [
        {
            "reason": reasons.get(item["reason"], item["reason"]),
            "communes": item["communes"],
            "population": item["population"],
        }
        for item in record.unmet
    ]
    area = selectors.area_of(record.scope, record.area_code)
    return render(
        request,
        "flows/proposal.html",
        {
            "proposal": record,
            "flow_set": record.flow_set,
            "territories": territories,
            "cpts_outlines": _cpts_outlines(area),
            "comparison": selectors.comparison(record, area),
            "unmet": unmet,
            "can_adopt": perms.can_adopt(request.user, region),
        },
    )


@login_required
def proposal_map(request, pk):
    """The proposed territories as GeoJSON: outlines coloured by territory, with their
    figures (text; the map inserts them with textContent)."""
    record = _proposal(pk)
    _check(perms.can_view_flows(request.user, record.flow_set.region))
    features = []
    for item in record.territories.all():
        if not item.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(item.geometry),
                "properties": {
                    "label": item.name,
                    "detail": (
                        f"{french.count(item.commune_count, 'commune,communes')}, "
                        f"{french.count(item.population, 'habitant,habitants')}, "
                        f"autonomie {_percent(item.self_containment)}"
                    ),
                    "color": PALETTE[(item.number - 1) % len(PALETTE)],
                },
            }
        )
    return geojson_response(
        request,
        simplified_collection({"type": "FeatureCollection", "features": features}),
        max_age=MAP_SECONDS,
    )


@login_required
def adopt(request, pk):
    item = get_object_or_404(selectors.territory_queryset(), pk=pk)
    region = item.proposal.flow_set.region
    _check(perms.can_adopt(request.user, region))
    form = AdoptForm(
        request.POST or None,
        region=region,
        initial={"name": f"CPTS {item.name}"[:200]},
    )
    if request.method == "POST" and form.is_valid():
        department = get_object_or_404(
            Department, code=form.cleaned_data["main_department"], region=region
        )
        try:
            cpts, check = services.territory_adopt(
                territory_record=item,
                name=form.cleaned_data["name"],
                main_department=department,
                by=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"CPTS « {cpts.name} » créée avec ce territoire.")
            for warning in check.warnings:
                messages.warning(request, warning)
            return redirect(cpts.get_absolute_url())
    return render(request, "flows/adopt.html", {"territory": item, "form": form})
