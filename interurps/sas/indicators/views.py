"""SAS indicators pages: the region's dashboard with its exports, the demand/supply map and
its GeoJSON, and an effector's monthly statement (page, CSV, PDF)."""

import hashlib
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from interurps.analytics import sas_valorisation
from interurps.core import exports as core_exports
from interurps.core.downloads import download_name, pdf_response
from interurps.core.http import query_text, require
from interurps.geography.geojson import geojson_response, simplified_collection
from interurps.geography.models import Region
from interurps.sas.indicators import exports, perms, selectors
from interurps.sas.indicators.forms import IndicatorFilterForm
from interurps.sas.models import Effector

MAP_SECONDS = 300
WHITE_ZONES_SHOWN = 100
EFFECTORS_SHOWN = 100


def _region(request, region_code) -> Region:
    region = get_object_or_404(Region, code=region_code)
    require(perms.can_view_indicators(request.user, region))
    return region


def _filters(request, region):
    form = IndicatorFilterForm(request.GET or None, region=region)
    return form, form.filters()


def _query(request) -> str:
    """The filters of the page, to carry into the exports' and the map's links."""
    keep = {k: query_text(request, k, max_length=20) for k in ("du", "au", "mois", "departement")}
    keep["cpts"] = query_text(request, "cpts", max_length=12)
    keep["rayon"] = query_text(request, "rayon", max_length=8)
    return urlencode({k: v for k, v in keep.items() if v})


@login_required
def indicators(request, region_code):
    region = _region(request, region_code)
    form, filters = _filters(request, region)
    with_names = perms.can_view_effector_names(request.user, region)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        result = selectors.indicators(filters, with_names=with_names)
        communes = selectors.demand_and_supply(filters)
        if export == "csv":
            table = query_text(request, "tableau", max_length=20)
            return exports.csv_response(result, communes, table, with_names=with_names)
        return exports.xlsx_response(result, communes, with_names=with_names)
    result = selectors.indicators(filters, with_names=with_names)
    query = _query(request)
    return render(
        request,
        "sas/indicators/dashboard.html",
        {
            "region": region,
            "form": form,
            "filters": filters,
            "result": result,
            "with_names": with_names,
            "effectors": result.effectors[:EFFECTORS_SHOWN],
            "query": query,
            "tables": exports.tables_for(with_names),
            "version": sas_valorisation.version_for(filters.end),
            "threshold": selectors.THRESHOLD_HOURS,
        },
    )


@login_required
def indicators_map(request, region_code):
    region = _region(request, region_code)
    form, filters = _filters(request, region)
    communes = selectors.demand_and_supply(filters)
    white = [c for c in communes if c.white_zone]
    query = _query(request)
    state = repr(sorted((c.code, c.requests, c.hours, c.white_zone) for c in communes))
    version = hashlib.sha256(state.encode()).hexdigest()[:16]
    map_url = f"{reverse('sas:indicators_geojson', args=[region.code])}?{query}&v={version}"
    return render(
        request,
        "sas/indicators/map.html",
        {
            "region": region,
            "form": form,
            "filters": filters,
            "map_url": map_url,
            "query": query,
            "white_zones": white[:WHITE_ZONES_SHOWN],
            "white_count": len(white),
            "white_population": sum(c.population or 0 for c in white),
            "white_requests": sum(c.requests for c in white),
            "demand": sum(c.requests for c in communes),
            "legend": [
                (selectors.CATEGORY_LABELS[key], color)
                for key, color in selectors.CATEGORY_COLORS.items()
            ],
            "min_population": selectors.WHITE_ZONE_MIN_POPULATION,
        },
    )


@login_required
def indicators_geojson(request, region_code):
    """The map's communes as GeoJSON, served apart from the page (cached a few minutes)."""
    region = _region(request, region_code)
    _, filters = _filters(request, region)
    return geojson_response(
        request, simplified_collection(selectors.map_geojson(filters)), max_age=MAP_SECONDS
    )


# --- an effector's monthly statement -------------------------------------------------


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    text = query_text(request, "mois", max_length=7)
    try:
        year, month = int(text[:4]), int(text[5:7])
        sas_valorisation.month_bounds(year, month)
        if len(text) != 7 or text[4] != "-":
            raise ValueError
    except ValueError:
        return today.year, today.month
    return year, month


def _shift(year: int, month: int, months: int) -> str:
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@login_required
def effector_statement(request, pk):
    effector = get_object_or_404(
        Effector.objects.select_related("professional__profession", "structure", "region"),
        pk=pk,
    )
    require(perms.can_view_statement(request.user, effector))
    year, month = _month(request)
    statement = selectors.effector_statement(effector, year, month)
    first = date(year, month, 1)
    export = request.GET.get("format")
    if export == "csv":
        return core_exports.csv_response(
            exports.statement_rows(statement),
            header=exports.STATEMENT_HEADER,
            filename=download_name(
                "releve-sas",
                str(effector),
                f"{year}-{month:02d}",
                day=timezone.localdate(),
                extension="csv",
            ),
        )
    context = {
        "effector": effector,
        "statement": statement,
        "month_start": first,
        "previous": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "current": f"{year:04d}-{month:02d}",
        "is_physician": bool(
            effector.professional_id and effector.professional.profession_id == "medecins"
        ),
    }
    if export == "pdf":
        from weasyprint import HTML

        html = render_to_string("sas/indicators/statement_print.html", context)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        return pdf_response(
            pdf,
            download_name(
                "releve-sas",
                str(effector),
                f"{year}-{month:02d}",
                day=timezone.localdate(),
                extension="pdf",
            ),
        )
    if export not in (None, ""):
        raise Http404("Format inconnu.")
    return render(request, "sas/indicators/statement.html", context)
