"""GeoJSON served apart from the pages: lighter geometry, and HTTP caching (ETag)."""

import hashlib
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

# 4 decimals of a degree: about 10 m, far below what a commune map shows.
DIGITS = 4


def _ring(points: list, digits: int) -> list:
    rounded = []
    for x, y, *_ in points:
        point = [round(x, digits), round(y, digits)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4:  # a ring too small at this precision keeps its points
        return [[round(x, digits), round(y, digits)] for x, y, *_ in points]
    return rounded


def simplified(geometry: dict, digits: int = DIGITS) -> dict:
    """The geometry with coordinates rounded to `digits` decimals and the points that then
    repeat dropped (rings stay closed: their first and last points are kept)."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        coordinates = [_ring(ring, digits) for ring in coordinates]
    elif kind == "MultiPolygon":
        coordinates = [[_ring(ring, digits) for ring in polygon] for polygon in coordinates]
    elif kind == "Point":
        coordinates = [round(value, digits) for value in coordinates]
    else:
        return geometry
    return {"type": kind, "coordinates": coordinates}


def simplified_collection(collection: dict, digits: int = DIGITS) -> dict:
    return {
        **collection,
        "features": [
            {**feature, "geometry": simplified(feature["geometry"], digits)}
            for feature in collection["features"]
        ],
    }


def geojson_body(collection: dict) -> bytes:
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()


def geojson_response(request, collection: dict, *, max_age: int, public: bool = False):
    """The collection as application/geo+json with a strong ETag (a conditional request
    whose ETag matches gets 304 without the body) and Cache-Control."""
    return geojson_body_response(request, geojson_body(collection), max_age=max_age, public=public)


def geojson_body_response(request, body: bytes, *, max_age: int, public: bool = False):
    """`geojson_response` for a body already encoded (kept in a cache)."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, max_age=max_age)
    return response
