"""Unscheduled-care white zones: how far each commune is from the nearest place that
offers shared SAS slots.

Pure numpy/scipy (no Django). Distances are great-circle distances between WGS84 points
read as a sphere (`accessibility.haversine_km`); the nearest site is found with a k-d tree
on 3-D unit vectors, so a region's communes (1,000 to 5,000) against tens of thousands of
sites stay a fraction of a second.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .accessibility import EARTH_RADIUS_KM, haversine_km


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def _points(lat, lon, name: str) -> tuple[np.ndarray, np.ndarray]:
    lat = np.asarray(lat, dtype=float).reshape(-1)
    lon = np.asarray(lon, dtype=float).reshape(-1)
    if lat.shape != lon.shape:
        raise ValueError(f"{name}: latitudes and longitudes differ in length")
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise ValueError(f"{name}: coordinates must be finite numbers")
    if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
        raise ValueError(f"{name}: coordinates out of range")
    return lat, lon


def nearest_distance_km(from_lat, from_lon, to_lat, to_lon) -> np.ndarray:
    """Distance in km from each `from` point to the nearest `to` point (``inf`` when there
    is no `to` point).

    Parameters
    ----------
    from_lat, from_lon : array_like
        Points measured (communes' centroids), in decimal degrees.
    to_lat, to_lon : array_like
        Candidate points (sites with shared slots), in decimal degrees.

    Returns
    -------
    numpy.ndarray
        One distance per `from` point.

    Examples
    --------
    >>> lon = np.degrees(np.array([0.0, 5.0, 30.0]) / EARTH_RADIUS_KM)
    >>> nearest_distance_km([0.0], [lon[2]], [0.0, 0.0], lon[:2]).round(6).tolist()
    [25.0]
    >>> nearest_distance_km([0.0], [0.0], [], []).tolist()
    [inf]
    """
    flat, flon = _points(from_lat, from_lon, "from")
    tlat, tlon = _points(to_lat, to_lon, "to")
    if len(tlat) == 0:
        return np.full(len(flat), np.inf)
    if len(flat) == 0:
        return np.empty(0)
    _, index = cKDTree(_unit_vectors(tlat, tlon)).query(_unit_vectors(flat, flon))
    # The nearest by chord is the nearest by arc; the exact distance is the haversine.
    return haversine_km(flat, flon, tlat[index], tlon[index])


def white_zones(
    distances_km, demand, population, *, radius_km: float, min_population: int
) -> np.ndarray:
    """Mask of the white zones: communes with demand (at least one care request) or with at
    least `min_population` inhabitants, and no shared slot within `radius_km` (strictly
    farther: a site at exactly `radius_km` covers the commune).

    >>> white_zones([5.0, 12.0, 12.0, 10.0], [0, 1, 0, 3], [100, 50, 5000, 80],
    ...             radius_km=10, min_population=1000).tolist()
    [False, True, True, False]
    """
    distances = np.asarray(distances_km, dtype=float)
    demand = np.asarray(demand, dtype=float)
    population = np.nan_to_num(np.asarray(population, dtype=float), nan=0.0)
    if not (np.isfinite(radius_km) and radius_km > 0):
        raise ValueError(f"radius_km must be a positive number (got {radius_km!r})")
    concerned = (demand > 0) | (population >= min_population)
    return concerned & (distances > radius_km)


__all__ = ["EARTH_RADIUS_KM", "nearest_distance_km", "white_zones"]
