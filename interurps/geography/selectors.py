"""Reads over the geography tables."""

import json
import re

from django.db.models import Count, Q, QuerySet, Sum

from interurps.core.text import normalize_name
from interurps.geography.models import Commune, Department, Region

INSEE_CODE_PREFIX = re.compile(r"^(\d[0-9AB]\d{0,3}|2[AB]\d{0,3})$", re.IGNORECASE)


def region_list() -> QuerySet[Region]:
    return Region.objects.annotate(department_count=Count("departments")).order_by("name")


def region_summary(region: Region) -> dict:
    communes = Commune.objects.filter(department__region=region)
    return {
        "population": region.population,
        "department_count": region.departments.count(),
        "commune_count": communes.filter(kind=Commune.Kind.COMMUNE).count(),
        "district_count": communes.filter(kind=Commune.Kind.MUNICIPAL_DISTRICT).count(),
    }


def department_list_for_region(region: Region) -> QuerySet[Department]:
    return region.departments.annotate(
        commune_count=Count("communes", filter=Q(communes__kind=Commune.Kind.COMMUNE)),
    ).order_by("code")


def commune_search(query: str = "", *, department: Department | None = None) -> QuerySet[Commune]:
    """Communes whose INSEE code starts with `query`, or whose name holds every word of it."""
    communes = Commune.objects.select_related("department")
    if department is not None:
        communes = communes.filter(department=department)
    query = (query or "").strip()
    if not query:
        return communes.order_by("name", "code")
    if INSEE_CODE_PREFIX.match(query):
        return communes.filter(code__istartswith=query).order_by("code")
    for word in normalize_name(query).split():
        communes = communes.filter(normalized_name__contains=word)
    return communes.order_by("name", "code")


def communes_population(communes: QuerySet[Commune]) -> int:
    return communes.aggregate(total=Sum("population"))["total"] or 0


def feature_collection(items, properties) -> dict:
    """GeoJSON FeatureCollection of `items` with a `geometry` text field."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(item.geometry),
                "properties": properties(item),
            }
            for item in items
            if item.geometry
        ],
    }


def region_departments_geojson(region: Region) -> dict:
    return feature_collection(
        department_list_for_region(region),
        lambda d: {
            "code": d.code,
            "name": d.name,
            "label": f"{d.name} ({d.code})",
            "population": d.population,
            "url": d.get_absolute_url(),
        },
    )


def department_communes_geojson(department: Department) -> dict:
    return feature_collection(
        department.communes.filter(kind=Commune.Kind.COMMUNE).only(
            "code", "name", "population", "geometry", "department"
        ),
        lambda c: {
            "code": c.code,
            "name": c.name,
            "label": f"{c.name} ({c.code})",
            "population": c.population,
            "url": c.get_absolute_url(),
        },
    )


def commune_geojson(commune: Commune) -> dict:
    return feature_collection(
        [commune],
        lambda c: {
            "code": c.code,
            "name": c.name,
            "label": f"{c.name} ({c.code})",
            "population": c.population,
            "url": c.get_absolute_url(),
        },
    )


def communes_outline_geojson(communes) -> dict:
    """Simplified outlines of `communes` (for maps whose values come from the page)."""
    from interurps.geography.geojson import simplified_collection

    return simplified_collection(
        feature_collection(
            communes.only("code", "name", "population", "geometry", "department"),
            lambda c: {
                "code": c.code,
                "name": c.name,
                "label": f"{c.name} ({c.code})",
                "population": c.population,
                "url": c.get_absolute_url(),
            },
        )
    )
