from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from interurps.core.http import query_text
from interurps.geography import selectors
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
