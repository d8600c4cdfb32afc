import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render

from interurps.core.http import query_text
from interurps.geography import selectors
from interurps.geography.geojson import geojson_response
from interurps.geography.models import Commune, Department, Region

PAGE_SIZE = 50


@login_required
def region_list(request):
    return render(request, "geography/region_list.html", {"regions": selectors.region_list()})


@login_required
def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "geography/region_detail.html",
        {
            "region": region,
            "summary": selectors.region_summary(region),
            "departments": selectors.department_list_for_region(region),
            "map_data": selectors.region_departments_geojson(region),
        },
    )


def _commune_results(request, department=None):
    query = query_text(request, "q")
    page = Paginator(selectors.commune_search(query, department=department), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"query": query, "page": page}


@login_required
def department_detail(request, code):
    department = get_object_or_404(Department.objects.select_related("region"), code=code)
    context = {"department": department, **_commune_results(request, department)}
    if request.htmx:
        return render(request, "geography/_commune_results.html", context)
    context["commune_count"] = department.communes.filter(kind=Commune.Kind.COMMUNE).count()
    context["map_data"] = selectors.department_communes_geojson(department)
    return render(request, "geography/department_detail.html", context)


@login_required
def commune_list(request):
    context = _commune_results(request)
    template = "geography/_commune_results.html" if request.htmx else "geography/commune_list.html"
    return render(request, template, context)


@login_required
def commune_detail(request, code):
    commune = get_object_or_404(
        Commune.objects.select_related("department__region", "epci", "parent"), code=code
    )
    return render(
        request,
        "geography/commune_detail.html",
        {
            "commune": commune,
            "districts": commune.districts.order_by("code"),
            "map_data": selectors.commune_geojson(commune),
        },
    )


MAX_CODES = 2_000
OUTLINE_CACHE_SECONDS = 3600


@login_required
def communes_geojson(request):
    """Simplified commune outlines of a department (?departement=44), a region (?region=52,
    communes counted once: Paris, Lyon and Marseille whole) or a list of INSEE codes
    (?codes=44109,44020), cached: they change only when the geography is imported."""
    department = query_text(request, "departement")
    region = query_text(request, "region")
    raw_codes = query_text(request, "codes", max_length=MAX_CODES * 6)
    codes = sorted({c for c in raw_codes.replace(" ", ",").split(",") if c})
    if department:
        key = f"dep:{department}"
        communes = Commune.objects.filter(department_id=department, kind=Commune.Kind.COMMUNE)
    elif region:
        key = f"reg:{region}"
        communes = Commune.objects.filter(department__region_id=region, kind=Commune.Kind.COMMUNE)
    elif codes and len(codes) <= MAX_CODES:
        key = "codes:" + hashlib.sha256(",".join(codes).encode()).hexdigest()
        communes = Commune.objects.filter(code__in=codes)
    else:
        return HttpResponseBadRequest(
            "Indiquez un département (departement=), une région (region=) ou au plus "
            f"{MAX_CODES} codes INSEE (codes=)."
        )
    collection = cache.get_or_set(
        f"geography:outlines:{key}",
        lambda: selectors.communes_outline_geojson(communes.order_by("code")),
        OUTLINE_CACHE_SECONDS,
    )
    return geojson_response(request, collection, max_age=OUTLINE_CACHE_SECONDS)
