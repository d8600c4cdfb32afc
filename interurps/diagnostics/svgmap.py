"""Static SVG maps of GeoJSON polygons, for printed documents (no JavaScript in a PDF)."""

import math


def _rings(geometry):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def svg_paths(collection: dict, width: float = 480) -> dict:
    """Project features (equirectangular, scaled by the cosine of the mean latitude) into
    an SVG box `width` wide; returns the paths with their fill colours and the box height.

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
        return round((lon - lon_min) * squeeze * scale, 1), round((lat_max - lat) * scale, 1)

    paths = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            coords = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + " L".join(f"{x} {y}" for x, y in coords) + " Z")
        properties = feature["properties"]
        paths.append(
            {
                "d": " ".join(parts),
                "color": properties.get("color", "#ccc"),
                "outline": properties.get("kind") == "outline",
            }
        )
    return {"paths": paths, "width": width, "height": height}
