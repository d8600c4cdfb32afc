"""Static SVG maps of GeoJSON polygons, for printed documents (no JavaScript in a PDF)."""

import base64
import math
from xml.sax.saxutils import quoteattr

from shapely import LineString


def _rings(geometry):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def svg_paths(collection: dict, width: float = 480, tolerance: float = 0.6) -> dict:
    """Project features (equirectangular, scaled by the cosine of the mean latitude) into
    an SVG box `width` wide; returns the paths with their fill colours and the box height.

    Rings are simplified (Douglas-Peucker) to `tolerance` units of the box: at 480 units
    across a printed page, 0.6 is about a fifth of a millimetre, below what the eye sees,
    and a region's 1,200 communes go from about 240,000 points to a few tens of thousands,
    which is most of what the PDF renderer spends on the maps.

    >>> box = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    >>> result = svg_paths({"features": [{"geometry": box, "properties": {"color": "#000"}}]}, 100)
    >>> result["height"], result["paths"][0]["d"][:12]
    (100.0, 'M0.0 100.0 L')
    """
    features = [f for f in collection.get("features", []) if f.get("geometry")]
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return {"paths": [], "width": width, "height": 0}
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon_min, lon_max, lat_min, lat_max = min(lons), max(lons), min(lats), max(lats)
    squeeze = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x = max((lon_max - lon_min) * squeeze, 1e-9)
    span_y = max(lat_max - lat_min, 1e-9)
    scale = width / span_x
    height = round(span_y * scale, 1)

    def project(lon, lat):
        # Half a unit (a tenth of a millimetre printed): finer points would only weigh on
        # the PDF renderer.
        x = round((lon - lon_min) * squeeze * scale * 2) / 2
        y = round((lat_max - lat) * scale * 2) / 2
        return float(x), float(y)

    paths = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            coords = []
            for lon, lat, *_ in ring:
                point = project(lon, lat)
                if not coords or coords[-1] != point:  # half a unit apart at least
                    coords.append(point)
            if len(coords) > 4 and tolerance > 0:
                coords = list(LineString(coords).simplify(tolerance).coords)
            if len(coords) < 3:
                continue
            parts.append("M" + " L".join(f"{x} {y}" for x, y in coords) + " Z")
        if not parts:
            continue
        properties = feature["properties"]
        paths.append(
            {
                "d": " ".join(parts),
                "color": properties.get("color", "#ccc"),
                "outline": properties.get("kind") == "outline",
            }
        )
    return {"paths": paths, "width": width, "height": height}


def svg_data_uri(result: dict) -> str:
    """`svg_paths`' result as a standalone SVG image in a data URI, for an <img> of a
    printed page: inline, the region's 2,500 paths were HTML elements that the PDF renderer
    parsed and styled one by one (about half of a region's PDF time); as an image they are
    read by an XML parser and drawn."""
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {result["width"]} {result["height"]}" '
        f'width="{result["width"]}" height="{result["height"]}">'
    ]
    for path in result["paths"]:
        if path["outline"]:
            style = 'fill="none" stroke="#c2410c" stroke-width="1.6"'
        else:
            style = f'fill={quoteattr(path["color"])} stroke="#555" stroke-width="0.4"'
        parts.append(f'<path d="{path["d"]}" {style}/>')
    parts.append("</svg>")
    encoded = base64.b64encode("".join(parts).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
