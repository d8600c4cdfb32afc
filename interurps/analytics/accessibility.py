"""Spatial accessibility of every commune to liberal health professionals (E2SFCA).

Plain functions over numpy arrays (numpy and scipy only, no Django import), in the style of
PySAL's ``access`` package, but vectorised with one sparse matrix of weights so that all of
France (about 35,000 communes, ten professions) takes well under a second.

Method: enhanced two-step floating catchment area (E2SFCA; Luo and Qi, 2009)
----------------------------------------------------------------------------
Units are communes, each with a centroid, a demand ``P`` (inhabitants) and a supply ``S``
(professionals, or full-time-equivalent shares). ``W_ij`` is a step function of the
distance ``d_ij`` between the centroids of units ``i`` and ``j``:

1. for every supply unit ``j``, the ratio of supply to the demand in its catchment,
   ``R_j = S_j / sum_k (W_jk * P_k)`` (0 when that weighted demand is 0);
2. for every unit ``i``, ``A_i = per * sum_j (W_ij * R_j)``: professionals accessible per
   ``per`` inhabitants (10,000 by default).

The classic 2SFCA (Luo and Wang, 2003) is the special case of one band of weight 1.
With symmetric distances, ``sum_i P_i * A_i / per`` equals the total supply of the units
that have some demand within reach: accessibility redistributes supply, it creates none.

Defaults (:data:`DEFAULT_BANDS`): weight 1 up to 10 km, 2/3 up to 15 km, 1/3 up to 20 km,
0 beyond; bounds are inclusive (10.0 km weighs 1, 10.0001 km weighs 2/3). Distances are
great-circle distances between centroids on a sphere of radius
:data:`EARTH_RADIUS_KM` (the IUGG mean radius, 6,371.0088 km).

How this differs from the DREES « accessibilité potentielle localisée » (APL)
-----------------------------------------------------------------------------
The APL of the DREES and the IRDES is also an E2SFCA between communes, with weights 1, 2/3
and 1/3 for 0-10, 10-15 and 15-20 minutes by road for general practitioners. This module
is a simpler, reproducible approximation and must not be published as « l'APL »:

* no road travel times: straight-line distances between commune centroids, with the same
  bands read in kilometres instead of minutes (no road network, no ferries, no mountains);
* demand is not age-standardised: every inhabitant counts for one, whereas the APL weighs
  each age group by its observed consumption of care;
* supply is counted in professionals (or FTE shares supplied by the caller), not in
  consultations and visits per year, and no professional is left out for age or activity;
* the result is in professionals per 10,000 inhabitants (``per``), not in consultations per
  standardised inhabitant per year.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius (Moritz, Geodetic Reference System 1980)
DEFAULT_BANDS = ((10.0, 1.0), (15.0, 2 / 3), (20.0, 1 / 3))  # (upper bound km, weight); 0 beyond
DEFAULT_PER = 10_000.0


@dataclass(frozen=True)
class Neighbourhood:
    """Pairs (i, j) of units within `max_km`, distances in km.

    Both directions and ``i == j`` (distance 0) are included. :func:`build_neighbourhood`
    returns them ordered by row; other orders are accepted (a little slower).
    `size` is the number of units; `max_km` the search radius the pairs were built with
    (``None`` when unknown), used to refuse bands that reach beyond it.
    """

    rows: np.ndarray
    cols: np.ndarray
    distances_km: np.ndarray
    size: int
    max_km: float | None = None

    def __len__(self) -> int:
        return len(self.rows)


def _vector(values, name: str, *, length: int | None = None, allow_2d: bool = False):
    """Float array from `values`, checked: finite, right length (rows), 1-D (or 2-D)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric") from exc
    if array.ndim != 1 and not (allow_2d and array.ndim == 2):
        expected = "a 1-D or 2-D array" if allow_2d else "a 1-D array"
        raise ValueError(f"{name} must be {expected} (got {array.ndim} dimensions)")
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains infinite values")
    if length is not None and array.shape[0] != length:
        raise ValueError(f"{name} has {array.shape[0]} rows, expected {length}")
    return array


def _non_negative(values, name: str, *, length: int, allow_2d: bool = False) -> np.ndarray:
    array = _vector(values, name, length=length, allow_2d=allow_2d)
    if (array < 0).any():
        raise ValueError(f"{name} must be non-negative")
    return array


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (broadcast).

    >>> round(float(haversine_km(0.0, 0.0, 0.0, 1.0)), 4)
    111.1951
    """
    phi1, lam1, phi2, lam2 = (
        np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2)
    )
    return _haversine(phi1, lam1, np.cos(phi1), phi2, lam2, np.cos(phi2))


def _haversine(phi1, lam1, cos_phi1, phi2, lam2, cos_phi2) -> np.ndarray:
    """Haversine distance in km from radians, with the cosines of latitudes precomputed."""
    h = np.sin((phi2 - phi1) / 2) ** 2 + cos_phi1 * cos_phi2 * np.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def build_neighbourhood(latitudes, longitudes, max_km: float = 20.0) -> Neighbourhood:
    """Every pair of units whose centroids are at most `max_km` apart (great circle).

    A k-d tree on 3-D unit vectors finds the candidates within the chord that matches
    `max_km`; the kept pairs get their exact haversine distance.

    Parameters
    ----------
    latitudes, longitudes : array_like
        Centroids in decimal degrees (WGS84 read as a sphere), one per unit.
    max_km : float
        Search radius in km, inclusive.

    Returns
    -------
    Neighbourhood
        Both directions and the diagonal (``i == j``, distance 0), ordered by row.

    Examples
    --------
    Three points on the equator, 0, 5 and 30 km from the first one:

    >>> lon = np.degrees(np.array([0.0, 5.0, 30.0]) / EARTH_RADIUS_KM)
    >>> hood = build_neighbourhood([0.0, 0.0, 0.0], lon, max_km=20.0)
    >>> sorted(zip(hood.rows.tolist(), hood.cols.tolist()))
    [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)]
    >>> round(float(hood.distances_km[(hood.rows == 0) & (hood.cols == 1)][0]), 9)
    5.0
    """
    lat = _vector(latitudes, "latitudes")
    lon = _vector(longitudes, "longitudes", length=len(lat))
    if (np.abs(lat) > 90).any():
        raise ValueError("latitudes must lie between -90 and 90 degrees")
    if (np.abs(lon) > 180).any():
        raise ValueError("longitudes must lie between -180 and 180 degrees")
    if not (np.isfinite(max_km) and max_km > 0):
        raise ValueError(f"max_km must be a positive number (got {max_km!r})")
    size = len(lat)
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    points = np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])
    # Chord of the arc max_km, with a small margin: the exact test is the haversine below.
    half_angle = min(max_km / (2 * EARTH_RADIUS_KM), np.pi / 2)
    chord = 2 * np.sin(half_angle) * (1 + 1e-9) + 1e-12
    if size:
        pairs = cKDTree(points).query_pairs(chord, output_type="ndarray")
    else:
        pairs = np.empty((0, 2), dtype=np.intp)
    first, second = pairs[:, 0], pairs[:, 1]
    distances = _haversine(
        phi[first], lam[first], cos_phi[first], phi[second], lam[second], cos_phi[second]
    )
    keep = distances <= max_km
    first, second, distances = first[keep], second[keep], distances[keep]
    diagonal = np.arange(size, dtype=first.dtype)
    rows = np.concatenate([first, second, diagonal])
    # Ordered by row: the weight matrix is then built in CSR form without sorting again.
    # A stable sort of 16-bit keys is a radix sort in numpy (all communes: 35,000 < 2**16).
    key = rows.astype(np.uint16) if size <= 2**16 else rows
    order = np.argsort(key, kind="stable")
    return Neighbourhood(
        rows=rows[order],
        cols=np.concatenate([second, first, diagonal])[order],
        distances_km=np.concatenate([distances, distances, np.zeros(size)])[order],
        size=size,
        max_km=float(max_km),
    )


def _checked_bands(bands: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    try:
        table = np.asarray(bands, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("bands must be a sequence of (upper bound km, weight) pairs") from exc
    if table.ndim != 2 or table.shape[1] != 2 or len(table) == 0:
        raise ValueError("bands must be a non-empty sequence of (upper bound km, weight) pairs")
    bounds, weights = table[:, 0], table[:, 1]
    if not np.isfinite(table).all():
        raise ValueError("bands must hold finite numbers")
    if (bounds < 0).any() or (np.diff(bounds) <= 0).any():
        raise ValueError("band bounds must be non-negative and strictly increasing")
    if ((weights < 0) | (weights > 1)).any():
        raise ValueError("band weights must lie between 0 and 1")
    return bounds, weights


def band_weights(distances_km, bands: Sequence[tuple[float, float]] = DEFAULT_BANDS):
    """Weight of the first band whose upper bound is at least the distance; 0 beyond.

    Parameters
    ----------
    distances_km : array_like
        Non-negative distances in km.
    bands : sequence of (float, float)
        ``(upper bound km, weight)``, bounds strictly increasing, weights in [0, 1].

    Returns
    -------
    numpy.ndarray
        One weight per distance, same shape.

    Examples
    --------
    >>> band_weights([0.0, 10.0, 10.0001, 15.0, 20.0, 20.0001]).round(4).tolist()
    [1.0, 1.0, 0.6667, 0.6667, 0.3333, 0.0]
    """
    bounds, weights = _checked_bands(bands)
    distances = np.asarray(distances_km, dtype=float)
    if np.isnan(distances).any():
        raise ValueError("distances_km contains NaN")
    if (distances < 0).any():
        raise ValueError("distances_km must be non-negative")
    # side="left": the first bound >= distance, so bounds are inclusive.
    index = np.searchsorted(bounds, distances, side="left")
    return np.append(weights, 0.0)[index]


def weight_matrix(
    neighbourhood: Neighbourhood, bands: Sequence[tuple[float, float]] = DEFAULT_BANDS
) -> csr_matrix:
    """Sparse ``size x size`` matrix of band weights ``W_ij`` (zeros not stored).

    A pair listed twice in the neighbourhood counts twice.

    >>> pairs = np.array([0, 1, 0]), np.array([0, 0, 1])
    >>> hood = Neighbourhood(*pairs, distances_km=np.array([0.0, 12.0, 12.0]), size=2)
    >>> weight_matrix(hood).toarray().round(4).tolist()
    [[1.0, 0.6667], [0.6667, 0.0]]
    """
    bounds, _ = _checked_bands(bands)
    if neighbourhood.max_km is not None and bounds[-1] > neighbourhood.max_km:
        raise ValueError(
            f"the bands reach {bounds[-1]:g} km but the neighbourhood was built within "
            f"{neighbourhood.max_km:g} km: build it with max_km >= {bounds[-1]:g}"
        )
    size = neighbourhood.size
    rows = np.asarray(neighbourhood.rows)
    cols = np.asarray(neighbourhood.cols)
    distances = np.asarray(neighbourhood.distances_km, dtype=float)
    if not (np.issubdtype(rows.dtype, np.integer) and np.issubdtype(cols.dtype, np.integer)):
        raise ValueError("neighbourhood rows and cols must be integer arrays")
    if not (len(rows) == len(cols) == len(distances)):
        raise ValueError("neighbourhood rows, cols and distances_km must have the same length")
    if len(rows) and (min(rows.min(), cols.min()) < 0 or max(rows.max(), cols.max()) >= size):
        raise ValueError(f"neighbourhood indices must lie between 0 and {size - 1}")
    weights = band_weights(distances, bands)
    keep = weights > 0
    rows, cols, weights = rows[keep], cols[keep], weights[keep]
    if len(rows) > 1 and (rows[1:] < rows[:-1]).any():
        return csr_matrix((weights, (rows, cols)), shape=(size, size))
    # Rows already in order (as build_neighbourhood returns them): no sort needed.
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=size), out=indptr[1:])
    return csr_matrix((weights, cols, indptr), shape=(size, size))


def e2sfca(
    supply,
    demand,
    neighbourhood: Neighbourhood,
    bands: Sequence[tuple[float, float]] = DEFAULT_BANDS,
    per: float = DEFAULT_PER,
) -> np.ndarray:
    """Enhanced two-step floating catchment area accessibility of every unit.

    Parameters
    ----------
    supply : array_like, shape (n,) or (n, m)
        Professionals (or FTE) per unit; one column per profession for ``m`` professions
        computed at once.
    demand : array_like, shape (n,)
        Inhabitants per unit.
    neighbourhood : Neighbourhood
        From :func:`build_neighbourhood`, with ``max_km`` at least the last band's bound.
    bands : sequence of (float, float)
        Distance bands, see :func:`band_weights`.
    per : float
        Result unit: professionals per `per` inhabitants.

    Returns
    -------
    numpy.ndarray
        Accessibility ``A_i``, same shape as `supply`.

    Examples
    --------
    One doctor and 1,000 inhabitants in unit 0; unit 1 is 12 km away and empty:

    >>> lon = np.degrees(np.array([0.0, 12.0]) / EARTH_RADIUS_KM)
    >>> hood = build_neighbourhood([0.0, 0.0], lon)
    >>> e2sfca([1.0, 0.0], [1000.0, 0.0], hood).round(4).tolist()
    [10.0, 6.6667]
    """
    if not (np.isfinite(per) and per > 0):
        raise ValueError(f"per must be a positive number (got {per!r})")
    size = neighbourhood.size
    supply_array = _non_negative(supply, "supply", length=size, allow_2d=True)
    demand_array = _non_negative(demand, "demand", length=size)
    weights = weight_matrix(neighbourhood, bands)
    weighted_demand = weights @ demand_array
    served = weighted_demand > 0
    inverse = np.zeros(size)
    inverse[served] = 1.0 / weighted_demand[served]
    ratios = supply_array * (inverse if supply_array.ndim == 1 else inverse[:, None])
    return per * (weights @ ratios)


def two_step_fca(
    supply, demand, neighbourhood: Neighbourhood, max_km: float, per: float = DEFAULT_PER
) -> np.ndarray:
    """Classic 2SFCA: every unit within `max_km` (inclusive) weighs 1, the others 0.

    >>> lon = np.degrees(np.array([0.0, 12.0]) / EARTH_RADIUS_KM)
    >>> hood = build_neighbourhood([0.0, 0.0], lon)
    >>> two_step_fca([1.0, 0.0], [500.0, 500.0], hood, max_km=15.0).tolist()
    [10.0, 10.0]
    """
    return e2sfca(supply, demand, neighbourhood, bands=((max_km, 1.0),), per=per)


def population_weighted_mean(values, population, mask=None) -> float:
    """Mean of `values` weighted by `population`, over the units where `mask` is true.

    >>> population_weighted_mean([10.0, 20.0, 99.0], [300, 100, 50], mask=[True, True, False])
    12.5
    """
    value_array = _vector(values, "values")
    population_array = _non_negative(population, "population", length=len(value_array))
    if mask is not None:
        mask_array = np.asarray(mask)
        if mask_array.shape != value_array.shape or mask_array.dtype != bool:
            raise ValueError(f"mask must be a boolean array of length {len(value_array)}")
        value_array, population_array = value_array[mask_array], population_array[mask_array]
    total = population_array.sum()
    if total <= 0:
        raise ValueError("population is zero over the selected units: no mean")
    return float(population_array @ value_array / total)
