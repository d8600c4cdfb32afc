import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.accounts import perms
from interurps.analytics import aci
from interurps.core import exports, french
from interurps.core.forms import add_validation_errors, form_submission
from interurps.core.http import query_text
from interurps.cpts import rules, selectors, services
from interurps.cpts.forms import (
    RELATED_FORMS,
    RELATED_MODELS,
    CptsCreateForm,
    CptsForm,
    MissionForm,
    TerritoryForm,
    TransitionCorrectionForm,
    TransitionForm,
)
from interurps.cpts.models import Cpts, StageTransition
from interurps.geography import selectors as geography_selectors
from interurps.geography.geojson import (
    geojson_body,
    geojson_body_response,
    simplified_collection,
)
from interurps.geography.models import Department, Region


def _cpts_or_404(pk) -> Cpts:
    return get_object_or_404(selectors.cpts_detail_queryset(), pk=pk)


@login_required
def cpts_list(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    if not perms.can_view_cpts_of_region(request.user, region):
        raise PermissionDenied
    return render(
        request,
        "cpts/cpts_list.html",
        {
            "region": region,
            "cpts_list": selectors.cpts_of_region(region),
            "can_create": perms.can_create_cpts(request.user, region),
            "can_import": perms.can_import_cpts(request.user, region),
        },
    )


@login_required
def cpts_create(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    if not perms.can_create_cpts(request.user, region):
        raise PermissionDenied
    form = CptsCreateForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        started_on = data.pop("started_on")
        try:
            cpts = services.cpts_create(
                region=region, by=request.user, started_on=started_on, **data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"La CPTS « {cpts.name} » a été créée. Dessinez son territoire."
            )
            return redirect("cpts:territory", cpts.pk)
    return render(request, "cpts/cpts_form.html", {"form": form, "region": region})


@login_required
def cpts_detail(request, pk):
    cpts = _cpts_or_404(pk)
    if not perms.can_view_cpts(request.user, cpts):
        raise PermissionDenied
    history = list(cpts.transitions.all())
    allowed = rules.allowed_next_stages([t.stage for t in history])
    return render(
        request,
        "cpts/cpts_detail.html",
        {
            "cpts": cpts,
            "history": history,
            "missions": selectors.mission_rows(cpts, timezone.localdate()),
            "contract": selectors.cpts_contract_funding(cpts, as_of=timezone.localdate()),
            "map_data": {
                "type": "FeatureCollection",
                "features": [c.geojson_feature() for c in cpts.communes.all() if c.geometry],
            },
            "communes": cpts.communes.order_by("name"),
            "transition_form": TransitionForm(
                initial={"stage": allowed[0].value if allowed else ""}
            ),
            "allowed_stages": [rules.STAGE_LABELS[s] for s in allowed],
            "related_forms": {
                slug: (form_class(prefix=slug), title)
                for slug, (form_class, title) in RELATED_FORMS.items()
            },
            "can_edit": perms.can_edit_cpts(request.user, cpts),
            "can_change_stage": perms.can_change_cpts_stage(request.user, cpts),
            "can_correct": perms.can_correct_cpts_stage_date(request.user, cpts),
            "can_log_support": perms.can_log_support_action(request.user, cpts),
        },
    )


@login_required
def cpts_edit(request, pk):
    cpts = _cpts_or_404(pk)
    if not perms.can_edit_cpts(request.user, cpts):
        raise PermissionDenied
    form = CptsForm(request.POST or None, instance=cpts, region=cpts.region)
    response = form_submission(
        request,
        form,
        save=lambda data: services.cpts_update(cpts=cpts, data=data),
        message=lambda _record: "Les informations de la CPTS ont été enregistrées.",
        next_url=lambda _record: cpts,
    )
    if response is not None:
        return response
    return render(
        request, "cpts/cpts_form.html", {"form": form, "cpts": cpts, "region": cpts.region}
    )


@login_required
def cpts_territory(request, pk):
    """Territory editor: map clicks, name search and pasted INSEE codes feed one list."""
    cpts = _cpts_or_404(pk)
    if not perms.can_edit_cpts(request.user, cpts):
        raise PermissionDenied
    current = " ".join(sorted(cpts.communes.values_list("code", flat=True)))
    form = TerritoryForm(request.POST or None, initial={"codes": current})
    check = None
    if request.method == "POST" and form.is_valid():
        codes = selectors.parse_insee_codes(form.cleaned_data["codes"])
        if request.htmx or "check" in request.POST:
            check = selectors.territory_check(codes, cpts=cpts)
            if request.htmx:
                return render(request, "cpts/_territory_check.html", {"check": check})
        else:
            try:
                check = services.cpts_set_territory(cpts=cpts, codes=codes)
            except ValidationError:
                check = selectors.territory_check(codes, cpts=cpts)
            else:
                messages.success(
                    request,
                    f"Territoire enregistré : {french.count(check.communes, 'commune,communes')}, "
                    f"{french.count(check.population, 'habitant,habitants')}.",
                )
                for warning in check.warnings:
                    messages.warning(request, warning)
                return redirect(cpts)
    department_codes = set(cpts.communes.values_list("department_id", flat=True)) | {
        cpts.main_department_id
    }
    departments = Department.objects.filter(code__in=department_codes).order_by("code")
    map_features = []
    for department in departments:
        map_features += geography_selectors.department_communes_geojson(department)["features"]
    return render(
        request,
        "cpts/cpts_territory.html",
        {
            "cpts": cpts,
            "form": form,
            "check": check,
            "departments": departments,
            "map_data": {"type": "FeatureCollection", "features": map_features},
        },
    )


@login_required
def commune_lookup(request):
    """htmx: communes matching a name, to add to a territory."""
    results = geography_selectors.commune_search(query_text(request, "q", max_length=100))[:15]
    return render(request, "cpts/_commune_lookup.html", {"results": results})


@login_required
@require_POST
def cpts_transition(request, pk):
    cpts = _cpts_or_404(pk)
    if not perms.can_change_cpts_stage(request.user, cpts):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.cpts_transition(
                cpts=cpts,
                stage=form.cleaned_data["stage"],
                occurred_on=form.cleaned_data["occurred_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Étape enregistrée : {rules.label(form.cleaned_data['stage'])}."
            )
    else:
        messages.error(request, "Étape non enregistrée : vérifiez l'étape et la date saisies.")
    return redirect(cpts)


@login_required
def transition_correct(request, pk):
    transition = get_object_or_404(StageTransition.objects.select_related("cpts"), pk=pk)
    if not perms.can_correct_cpts_stage_date(request.user, transition.cpts):
        raise PermissionDenied
    form = TransitionCorrectionForm(
        request.POST or None, initial={"occurred_on": transition.occurred_on}
    )
    response = form_submission(
        request,
        form,
        save=lambda data: services.transition_correct_date(
            transition=transition,
            occurred_on=data["occurred_on"],
            reason=data["reason"],
            by=request.user,
        ),
        message=lambda _record: "La date a été corrigée ; le motif est conservé.",
        next_url=lambda _record: transition.cpts,
    )
    if response is not None:
        return response
    return render(request, "cpts/transition_correct.html", {"form": form, "transition": transition})


@login_required
def cpts_mission(request, pk):
    cpts = _cpts_or_404(pk)
    if not perms.can_edit_cpts(request.user, cpts):
        raise PermissionDenied
    kind = (
        query_text(request, "mission", max_length=50)
        or request.POST.get("kind", "").replace("\x00", "")[:50]
    )
    instance = cpts.missions.filter(kind=kind).first() if kind else None
    form = MissionForm(request.POST or None, instance=instance, initial={"kind": kind})
    response = form_submission(
        request,
        form,
        save=lambda data: services.mission_set(cpts=cpts, **data),
        message=lambda _record: "Mission enregistrée.",
        next_url=lambda _record: cpts,
    )
    if response is not None:
        return response
    return render(request, "cpts/mission_form.html", {"form": form, "cpts": cpts})


@login_required
@require_POST
def related_add(request, pk, kind):
    cpts = _cpts_or_404(pk)
    if kind not in RELATED_FORMS:
        raise PermissionDenied
    allowed = (
        perms.can_log_support_action(request.user, cpts)
        if kind == "accompagnement"
        else perms.can_edit_cpts(request.user, cpts)
    )
    if not allowed:
        raise PermissionDenied
    form_class, title = RELATED_FORMS[kind]
    form = form_class(request.POST, prefix=kind)
    form.instance.cpts = cpts
    if form.is_valid():
        try:
            services.related_record_add(record=form.instance)
        except ValidationError as error:
            messages.error(request, f"{title} : " + " ".join(error.messages))
        else:
            messages.success(request, f"{title} : ajout enregistré.")
    else:
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''} : {' '.join(e)}"
            for f, e in form.errors.items()
        )
        messages.error(request, f"{title} non enregistré·e — {errors}")
    return redirect(f"{cpts.get_absolute_url()}#{kind}")


@login_required
@require_POST
def related_delete(request, pk, kind, record_pk):
    cpts = _cpts_or_404(pk)
    model = RELATED_MODELS.get(kind)
    if model is None or not perms.can_edit_cpts(request.user, cpts):
        raise PermissionDenied
    record = get_object_or_404(model, pk=record_pk, cpts=cpts)
    services.related_record_delete(record=record)
    messages.success(request, "Élément supprimé.")
    return redirect(f"{cpts.get_absolute_url()}#{kind}")


# --- coverage -----------------------------------------------------------------------


def _coverage_area(request, kind, code):
    if kind == "region":
        area = get_object_or_404(Region, code=code)
        region = area
    else:
        area = get_object_or_404(Department.objects.select_related("region"), code=code)
        region = area.region
    if not perms.can_view_coverage(request.user, region):
        raise PermissionDenied
    return area


@login_required
def coverage(request, kind, code):
    area = _coverage_area(request, kind, code)
    report = selectors.area_coverage(area, as_of=timezone.localdate())
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _coverage_export(report, export)
    return render(
        request,
        "cpts/coverage.html",
        {
            "report": report,
            "kind": kind,
            "covered_share": selectors.covered_share_percent(report),
            "map_url": _coverage_map_url(kind, code, report),
            "legend": selectors.stage_legend(),
            "white_zones": report.uncovered[:100],
        },
    )


# The map's URL carries a version that changes with the CPTS (territory, stage) and the
# white zones: a browser keeps a version for a day and fetches the next one at once.
COVERAGE_MAP_SECONDS = 86_400
COVERAGE_MAP_CACHE_SECONDS = 3_600


def _coverage_map_version(report) -> str:
    state = repr(
        (
            sorted((c.pk, c.stage, c.updated_at.isoformat(), c.population) for c in report.cpts),
            sorted(unit.code for unit in report.uncovered),
        )
    )
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def _coverage_map_url(kind, code, report) -> str:
    name = "region" if kind == "region" else "department"
    version = _coverage_map_version(report)
    return f"{reverse(f'cpts:{name}_coverage_map', args=[code])}?v={version}"


@login_required
def coverage_map(request, kind, code):
    """The coverage map's GeoJSON (white zones and CPTS outlines, simplified), served apart
    from the page so that the page stays light and the map is cached."""
    area = _coverage_area(request, kind, code)
    today = timezone.localdate()
    # Drawn once per version of the CPTS and white zones, then kept in the (shared) cache:
    # reading and simplifying a region's outlines takes a worker for about 300 ms. The
    # communes' outlines only change at a geography import: kept an hour, like the others.
    version = _coverage_map_version(selectors.area_coverage(area, as_of=today))
    key = f"cpts:coverage-map:{kind}:{code}:{version}"
    body = cache.get(key)
    if body is None:
        report = selectors.area_coverage(area, as_of=today, outlines=True)
        body = geojson_body(simplified_collection(selectors.coverage_geojson(report)))
        cache.set(key, body, COVERAGE_MAP_CACHE_SECONDS)
    return geojson_body_response(request, body, max_age=COVERAGE_MAP_SECONDS)


def coverage_rows(report) -> list[tuple[str, str, object]]:
    """(section, label, value) rows: the figures of the coverage page, for exports."""
    cov = report.coverage
    rows = [
        ("Synthèse", "Territoire", str(report.area)),
        ("Synthèse", "Nombre de CPTS", len(report.cpts)),
        ("Synthèse", "Population totale", cov.total_population),
        ("Synthèse", "Population couverte", cov.covered_population),
        ("Synthèse", "Part de la population couverte (%)", selectors.covered_share_percent(report)),
        ("Synthèse", "Départements avec au moins une CPTS", len(report.departments_covered)),
        ("Synthèse", "Départements", report.departments_total),
        (
            "Synthèse",
            "Plus petite CPTS (habitants)",
            report.smallest.population if report.smallest else "",
        ),
        (
            "Synthèse",
            "Plus grande CPTS (habitants)",
            report.largest.population if report.largest else "",
        ),
        ("Synthèse", "Communes en zone blanche", len(cov.uncovered_units)),
        ("Synthèse", "Population en zone blanche", report.uncovered_population),
        (
            "Synthèse",
            "Financement ACI attendu, année en cours des contrats saisis (€)",
            report.funding_total,
        ),
        ("Synthèse", "CPTS ayant signé l'ACI", report.signed_cpts),
        ("Synthèse", "CPTS dont les montants du contrat ACI sont saisis", report.funding_cpts),
    ]
    rows += [("CPTS par étape", label, count) for _, label, count in report.by_stage]
    rows += [("CPTS", c.name, f"{c.population} habitants — {c.stage_label}") for c in report.cpts]
    rows += [
        ("Zones blanches", f"{u.name} ({u.code})", u.population or 0) for u in report.uncovered
    ]
    rows += [
        ("Chevauchements", f"{u.name} ({u.code})", ", ".join(c.name for c in cpts))
        for u, cpts in report.overlaps
    ]
    return rows


def _coverage_export(report, export):
    rows = coverage_rows(report)
    filename = f"couverture-cpts-{report.area.code}-{timezone.localdate():%Y%m%d}"
    header = ["Rubrique", "Libellé", "Valeur"]
    if export == "csv":
        return exports.csv_response(rows, header=header, filename=f"{filename}.csv")
    sheet = exports.Sheet("Couverture", rows, header=header, widths=(22, 50, 30))
    return exports.xlsx_response([sheet], filename=f"{filename}.xlsx")


@login_required
def aci_scales(request):
    """The ACI amount tables the funding computations use, with their sources."""
    today = timezone.localdate()
    current = aci.version_for(None, today)
    versions = []
    for version in aci.ACI_VERSIONS:
        rows = [("Fonctionnement", version.operating)]
        for code, funding in version.missions.items():
            label = aci.MISSION_LABELS[code]
            rows.append((f"{label} — part fixe", funding.fixed))
            rows.append((f"{label} — part variable", funding.variable))
        if version.annual_ceiling is not None:
            rows.append(("Plafond annuel toutes missions", version.annual_ceiling))
        versions.append({"version": version, "rows": rows, "current": version is current})
    return render(request, "cpts/aci_scales.html", {"versions": versions, "today": today})
