"""Where the regulators' search looks: radii, great-circle distances, widening, ordering.

Plain functions over numpy arrays (no Django import), after the national SAS search engine
(ANS, ``ansforge/SAS-moteur-recherche``):

* the search starts at the department's default radius around the patient's commune or
  address point (:data:`DEFAULT_RADII`, ``cityDefaultRadius``);
* while fewer than :data:`MIN_EFFECTORS` distinct effectors with a matching slot are inside,
  the radius grows by the department's step (``enlargementValue``), up to a cap: the radius
  that covers the whole department (``countyRadius``), or :data:`FALLBACK_CAP_KM` where the
  table gives none (:func:`widen_radius`);
* results are ordered: participants with free slots first, then by distance, then by the
  slot's start (:func:`order_results`).

Distances are great-circle distances on a sphere of radius :data:`EARTH_RADIUS_KM`
(haversine formula); a point exactly at the radius is inside (``distance <= radius``).
"""

from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius (Moritz, Geodetic Reference System 1980)
MIN_EFFECTORS = 5  # the national engine widens while fewer than 5 effectors are found
# One degree of latitude, in km, on that sphere (for bounding boxes).
KM_PER_DEGREE = np.pi * EARTH_RADIUS_KM / 180.0


@dataclass(frozen=True)
class Radii:
    """A department's search radii, in km.

    ``default_km``: where the search starts (``cityDefaultRadius``); ``enlargement_km``: the
    step of each widening (``enlargementValue``); ``county_km``: the radius that covers the
    whole department around its barycentre (``countyRadius``), None where the source has 0.
    """

    default_km: float
    enlargement_km: float
    county_km: float | None = None

    @property
    def cap_km(self) -> float:
        """How far widening may go: ``county_km``, else :data:`FALLBACK_CAP_KM`."""
        return max(self.county_km or FALLBACK_CAP_KM, self.default_km)


# National defaults where the table has no value (0 in the source: Guyane and Mayotte have
# none at all; the overseas departments no countyRadius): 20 km widened by 10 km, the values
# of most mixed rural and urban departments of the table (e.g. 17, 45, 49, 72, 85).
NATIONAL_DEFAULT = Radii(20.0, 10.0, None)
# Cap of the widening where the table gives no countyRadius: 60 km, about the size of the
# overseas islands (La Réunion is 70 km long), beyond which a regulated patient is not sent.
FALLBACK_CAP_KM = 60.0

# Source: ANS, « SAS_Rayons_zones_de_recherche_2025.ods » of the public repository
# ansforge/SAS-moteur-recherche (doc/data), MIT licence, Copyright (c) 2024 Agence du
# Numérique en Santé. Columns carried: cityDefaultRadius, enlargementValue, countyRadius
# (km). Corsica is keyed by its INSEE codes 2A and 2B (20A and 20B in the source).
# Departments whose three values are 0 in the source (973 Guyane, 976 Mayotte) are
# left out: they get NATIONAL_DEFAULT. A countyRadius of 0 is carried as None.
DEFAULT_RADII: dict[str, Radii] = {
    "01": Radii(20.0, 10.0, 108.0),  # Ain
    "02": Radii(30.0, 15.0, 122.0),  # Aisne
    "03": Radii(30.0, 15.0, 121.0),  # Allier
    "04": Radii(50.0, 25.0, 118.0),  # Alpes-de-Haute-Provence
    "05": Radii(40.0, 20.0, 107.0),  # Hautes-Alpes
    "06": Radii(10.0, 5.0, 93.0),  # Alpes-Maritimes
    "07": Radii(30.0, 15.0, 105.0),  # Ardèche
    "08": Radii(30.0, 15.0, 102.0),  # Ardennes
    "09": Radii(40.0, 20.0, 99.0),  # Ariège
    "10": Radii(40.0, 20.0, 110.0),  # Aube
    "11": Radii(30.0, 15.0, 113.0),  # Aude
    "12": Radii(50.0, 25.0, 132.0),  # Aveyron
    "13": Radii(10.0, 5.0, 102.0),  # Bouches-du-Rhône
    "14": Radii(10.0, 5.0, 106.0),  # Calvados
    "15": Radii(50.0, 25.0, 107.0),  # Cantal
    "16": Radii(30.0, 15.0, 109.0),  # Charente
    "17": Radii(20.0, 10.0, 118.0),  # Charente-Maritime
    "18": Radii(40.0, 20.0, 121.0),  # Cher
    "19": Radii(40.0, 20.0, 109.0),  # Corrèze
    "2A": Radii(30.0, 15.0, 109.0),  # Corse-du-Sud
    "2B": Radii(40.0, 20.0, 116.0),  # Haute-Corse
    "21": Radii(20.0, 10.0, 90.0),  # Côte-d'Or
    "22": Radii(20.0, 10.0, 97.0),  # Côtes-d'Armor
    "23": Radii(50.0, 25.0, 133.0),  # Creuse
    "24": Radii(40.0, 20.0, 118.0),  # Dordogne
    "25": Radii(20.0, 10.0, 106.0),  # Doubs
    "26": Radii(20.0, 10.0, 136.0),  # Drôme
    "27": Radii(20.0, 10.0, 103.0),  # Eure
    "28": Radii(30.0, 15.0, 115.0),  # Eure-et-Loir
    "29": Radii(10.0, 5.0, 110.0),  # Finistère
    "30": Radii(10.0, 5.0, 108.0),  # Gard
    "31": Radii(10.0, 5.0, 113.0),  # Haute-Garonne
    "32": Radii(40.0, 20.0, 112.0),  # Gers
    "33": Radii(10.0, 5.0, 143.0),  # Gironde
    "34": Radii(10.0, 5.0, 112.0),  # Hérault
    "35": Radii(10.0, 5.0, 117.0),  # Ille-et-Vilaine
    "36": Radii(50.0, 25.0, 117.0),  # Indre
    "37": Radii(20.0, 10.0, 111.0),  # Indre-et-Loire
    "38": Radii(10.0, 5.0, 126.0),  # Isère
    "39": Radii(30.0, 15.0, 100.0),  # Jura
    "40": Radii(30.0, 15.0, 137.0),  # Landes
    "41": Radii(30.0, 15.0, 113.0),  # Loir-et-Cher
    "42": Radii(10.0, 5.0, 98.0),  # Loire
    "43": Radii(30.0, 15.0, 100.0),  # Haute-Loire
    "44": Radii(10.0, 5.0, 118.0),  # Loire-Atlantique
    "45": Radii(20.0, 10.0, 117.0),  # Loiret
    "46": Radii(40.0, 20.0, 102.0),  # Lot
    "47": Radii(30.0, 15.0, 104.0),  # Lot-et-Garonne
    "48": Radii(50.0, 25.0, 102.0),  # Lozère
    "49": Radii(20.0, 10.0, 120.0),  # Maine-et-Loire
    "50": Radii(20.0, 10.0, 110.0),  # Manche
    "51": Radii(20.0, 10.0, 128.0),  # Marne
    "52": Radii(50.0, 25.0, 112.0),  # Haute-Marne
    "53": Radii(30.0, 15.0, 102.0),  # Mayenne
    "54": Radii(10.0, 5.0, 103.0),  # Meurthe-et-Moselle
    "55": Radii(50.0, 25.0, 112.0),  # Meuse
    "56": Radii(20.0, 10.0, 117.0),  # Morbihan
    "57": Radii(10.0, 5.0, 112.0),  # Moselle
    "58": Radii(50.0, 25.0, 117.0),  # Nièvre
    "59": Radii(10.0, 5.0, 107.0),  # Nord
    "60": Radii(20.0, 10.0, 109.0),  # Oise
    "61": Radii(40.0, 20.0, 111.0),  # Orne
    "62": Radii(10.0, 5.0, 116.0),  # Pas-de-Calais
    "63": Radii(20.0, 10.0, 127.0),  # Puy-de-Dôme
    "64": Radii(20.0, 10.0, 124.0),  # Pyrénées-Atlantiques
    "65": Radii(30.0, 15.0, 95.0),  # Hautes-Pyrénées
    "66": Radii(10.0, 5.0, 91.0),  # Pyrénées-Orientales
    "67": Radii(10.0, 5.0, 98.0),  # Bas-Rhin
    "68": Radii(10.0, 5.0, 84.0),  # Haut-Rhin
    "69": Radii(5.0, 3.0, 81.0),  # Rhône
    "70": Radii(40.0, 20.0, 104.0),  # Haute-Saône
    "71": Radii(30.0, 15.0, 131.0),  # Saône-et-Loire
    "72": Radii(20.0, 10.0, 112.0),  # Sarthe
    "73": Radii(20.0, 10.0, 112.0),  # Savoie
    "74": Radii(10.0, 5.0, 96.0),  # Haute-Savoie
    "75": Radii(5.0, 3.0, 14.0),  # Paris
    "76": Radii(10.0, 5.0, 112.0),  # Seine-Maritime
    "77": Radii(10.0, 5.0, 109.0),  # Seine-et-Marne
    "78": Radii(10.0, 5.0, 68.0),  # Yvelines
    "79": Radii(30.0, 15.0, 110.0),  # Deux-Sèvres
    "80": Radii(20.0, 10.0, 111.0),  # Somme
    "81": Radii(20.0, 10.0, 108.0),  # Tarn
    "82": Radii(20.0, 10.0, 86.0),  # Tarn-et-Garonne
    "83": Radii(10.0, 5.0, 111.0),  # Var
    "84": Radii(10.0, 5.0, 83.0),  # Vaucluse
    "85": Radii(20.0, 10.0, 116.0),  # Vendée
    "86": Radii(20.0, 10.0, 119.0),  # Vienne
    "87": Radii(20.0, 10.0, 105.0),  # Haute-Vienne
    "88": Radii(30.0, 15.0, 109.0),  # Vosges
    "89": Radii(40.0, 20.0, 122.0),  # Yonne
    "90": Radii(10.0, 5.0, 35.0),  # Territoire de Belfort
    "91": Radii(10.0, 5.0, 60.0),  # Essonne
    "92": Radii(5.0, 3.0, 19.0),  # Hauts-de-Seine
    "93": Radii(5.0, 3.0, 22.0),  # Seine-Saint-Denis
    "94": Radii(5.0, 3.0, 22.0),  # Val-de-Marne
    "95": Radii(5.0, 3.0, 50.0),  # Val-d'Oise
    "971": Radii(10.0, 5.0, None),  # Guadeloupe
    "972": Radii(10.0, 5.0, None),  # Martinique
    "974": Radii(10.0, 5.0, None),  # La Réunion
}


def radii_for(department_code: str) -> Radii:
    """The national radii of a department (INSEE code, e.g. ``"44"``, ``"2A"``, ``"974"``).

    Departments absent from :data:`DEFAULT_RADII` get :data:`NATIONAL_DEFAULT`.

    Examples
    --------
    >>> radii_for("44")
    Radii(default_km=10.0, enlargement_km=5.0, county_km=118.0)
    >>> radii_for("976") == NATIONAL_DEFAULT
    True
    """
    if not isinstance(department_code, str) or not department_code:
        raise ValueError(f"department code must be a non-empty string, got {department_code!r}")
    code = department_code.upper()
    return DEFAULT_RADII.get(code, NATIONAL_DEFAULT)


def _as_float_array(name, values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers")
    return array


def _check_point(lat, lon) -> None:
    if not (np.isfinite(lat) and np.isfinite(lon)):
        raise ValueError(f"the origin must be finite, got ({lat!r}, {lon!r})")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude must lie in [-90, 90], got {lat!r}")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude must lie in [-180, 180], got {lon!r}")


def haversine_km(lat: float, lon: float, lats, lons) -> np.ndarray:
    """Great-circle distances in km from one point to many (haversine formula).

    Parameters
    ----------
    lat, lon : float
        The origin, in decimal degrees (WGS84).
    lats, lons : array_like
        The destinations, same shape.

    Returns
    -------
    numpy.ndarray
        Distances in km, same shape as ``lats``.

    Raises
    ------
    ValueError
        When a coordinate is not finite or out of range, or the shapes differ.

    Examples
    --------
    >>> round(float(haversine_km(47.218, -1.553, [48.0], [0.2])[0]), 1)  # Nantes–Le Mans
    157.6
    """
    _check_point(lat, lon)
    lats = _as_float_array("lats", lats)
    lons = _as_float_array("lons", lons)
    if lats.shape != lons.shape:
        raise ValueError(f"lats and lons differ in shape: {lats.shape} and {lons.shape}")
    if np.any(np.abs(lats) > 90.0) or np.any(np.abs(lons) > 180.0):
        raise ValueError("latitudes must lie in [-90, 90] and longitudes in [-180, 180]")
    phi1, phi2 = np.radians(lat), np.radians(lats)
    dphi = phi2 - phi1
    dlambda = np.radians(lons - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box holding every point within ``radius_km``.

    The box is a prefilter for a database index: it may hold points farther than the
    radius (the corners), never miss one that is within it. A small margin (0.1 %) keeps
    points exactly at the radius inside despite rounding.

    Examples
    --------
    >>> box = bounding_box(47.0, -1.5, 10.0)
    >>> round(box[1] - box[0], 3)  # 2 × 10 km in degrees of latitude, plus the margin
    0.18
    """
    _check_point(lat, lon)
    if not np.isfinite(radius_km) or radius_km < 0:
        raise ValueError(f"radius must be a finite number of km >= 0, got {radius_km!r}")
    dlat = radius_km * 1.001 / KM_PER_DEGREE
    min_lat, max_lat = max(lat - dlat, -90.0), min(lat + dlat, 90.0)
    # The widest circle of latitude inside the box sets the longitude span.
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.9:
        return min_lat, max_lat, -180.0, 180.0
    dlon = dlat / np.cos(np.radians(widest))
    if dlon >= 180.0:
        return min_lat, max_lat, -180.0, 180.0
    return float(min_lat), float(max_lat), float(lon - dlon), float(lon + dlon)


def widen_radius(
    effector_distances,
    *,
    start_km: float,
    step_km: float,
    cap_km: float,
    min_effectors: int = MIN_EFFECTORS,
) -> float:
    """The radius of the search: ``start_km``, widened by ``step_km`` while fewer than
    ``min_effectors`` effectors are within it, never beyond ``cap_km``.

    Parameters
    ----------
    effector_distances : array_like
        For every effector with at least one matching slot, its distance in km (the
        nearest of its sites). One value per effector: distinct effectors are counted.
    start_km, step_km, cap_km : float
        Start, step (> 0) and cap (>= start) of the radius, in km.
    min_effectors : int
        The number of effectors the search wants inside (5 on the national platform).

    Returns
    -------
    float
        ``start_km + k * step_km`` for the smallest ``k >= 0`` that holds
        ``min_effectors`` effectors, or ``cap_km`` when the cap is reached first.

    Examples
    --------
    >>> widen_radius([1, 2, 3, 4, 14], start_km=10, step_km=5, cap_km=100)
    15.0
    >>> widen_radius([1, 2], start_km=10, step_km=5, cap_km=32)
    32.0
    """
    distances = _as_float_array("effector_distances", effector_distances).ravel()
    if np.any(distances < 0):
        raise ValueError("distances must be >= 0")
    for name, value in (("start_km", start_km), ("step_km", step_km), ("cap_km", cap_km)):
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    if start_km < 0:
        raise ValueError(f"start_km must be >= 0, got {start_km!r}")
    if step_km <= 0:
        raise ValueError(f"step_km must be > 0, got {step_km!r}")
    if cap_km < start_km:
        raise ValueError(f"cap_km ({cap_km!r}) must be >= start_km ({start_km!r})")
    if min_effectors < 1:
        raise ValueError(f"min_effectors must be >= 1, got {min_effectors!r}")
    start_km, step_km, cap_km = float(start_km), float(step_km), float(cap_km)
    distances = np.sort(distances)
    radius = start_km
    # The engine's loop, step by step (at most (cap - start) / step rounds).
    while np.searchsorted(distances, radius, side="right") < min_effectors and radius < cap_km:
        radius = min(radius + step_km, cap_km)
    return radius


def order_results(has_free_slot, distance_km, start) -> np.ndarray:
    """Indices ordering results as the national engine: participants with free slots
    first, then by distance, then by the slot's start (then by position, for stability).

    Parameters
    ----------
    has_free_slot : array_like of bool
        Whether the row is a free slot (True) or a participant without one, e.g. an
        effector accepting patients beyond its slots (False).
    distance_km : array_like of float
        Distance of the row's site from the patient.
    start : array_like of float
        The slot's start as a number (e.g. seconds since the epoch); any value for rows
        without a slot (NaN sorts last).

    Returns
    -------
    numpy.ndarray of int
        The permutation to apply.

    Examples
    --------
    >>> order_results([False, True, True], [1.0, 5.0, 2.0], [0, 10, 20]).tolist()
    [2, 1, 0]
    """
    free = np.asarray(has_free_slot, dtype=bool)
    distance = np.asarray(distance_km, dtype=float)
    starts = np.asarray(start, dtype=float)
    if not (free.shape == distance.shape == starts.shape) or free.ndim != 1:
        raise ValueError("has_free_slot, distance_km and start must be 1-d arrays of one length")
    if np.any(np.isnan(distance)):
        raise ValueError("distance_km must not hold NaN")
    starts = np.where(np.isnan(starts), np.inf, starts)
    # lexsort: the last key is the primary one.
    return np.lexsort((np.arange(free.size), starts, distance, ~free))
