import ast
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interurps.analytics import accessibility
from interurps.analytics.accessibility import (
    DEFAULT_BANDS,
    EARTH_RADIUS_KM,
    Neighbourhood,
    band_weights,
    build_neighbourhood,
    e2sfca,
    population_weighted_mean,
    two_step_fca,
)

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


def on_equator(*kilometres):
    """Latitudes and longitudes of points on the equator, at these distances from 0°E."""
    return [0.0] * len(kilometres), [km / KM_PER_DEGREE for km in kilometres]


def random_units(seed, count=150, span_degrees=0.8):
    """Seeded centroids in a box around Lyon, with supply and demand (some zeros)."""
    rng = np.random.default_rng(seed)
    latitudes = 45.75 + rng.uniform(-span_degrees / 2, span_degrees / 2, count)
    longitudes = 4.85 + rng.uniform(-span_degrees / 2, span_degrees / 2, count)
    demand = rng.integers(0, 5_000, count).astype(float) * (rng.random(count) > 0.1)
    supply = rng.poisson(3.0, count).astype(float) * (rng.random(count) > 0.3)
    return latitudes, longitudes, supply, demand


# --- Naive oracle: a double loop with its own haversine, written from the definitions. --


def oracle_distance(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def oracle_weight(distance, bands):
    for bound, weight in bands:
        if distance <= bound:
            return weight
    return 0.0


def oracle_e2sfca(latitudes, longitudes, supply, demand, bands=DEFAULT_BANDS, per=10_000.0):
    count = len(latitudes)
    weights = [
        [
            oracle_weight(
                oracle_distance(latitudes[i], longitudes[i], latitudes[j], longitudes[j]), bands
            )
            for j in range(count)
        ]
        for i in range(count)
    ]
    ratios = []
    for j in range(count):
        weighted_demand = sum(weights[j][k] * demand[k] for k in range(count))
        ratios.append(supply[j] / weighted_demand if weighted_demand > 0 else 0.0)
    return np.array(
        [per * sum(weights[i][j] * ratios[j] for j in range(count)) for i in range(count)]
    )


# --- Neighbourhood -------------------------------------------------------------------------


def test_neighbourhood_matches_the_oracle_pairs_and_distances():
    latitudes, longitudes, _, _ = random_units(seed=1)
    hood = build_neighbourhood(latitudes, longitudes, max_km=20.0)
    found = {
        (int(i), int(j)): float(d)
        for i, j, d in zip(hood.rows, hood.cols, hood.distances_km, strict=True)
    }
    expected = {}
    for i in range(len(latitudes)):
        for j in range(len(latitudes)):
            distance = oracle_distance(latitudes[i], longitudes[i], latitudes[j], longitudes[j])
            if distance <= 20.0:
                expected[(i, j)] = distance
    assert len(found) == len(hood) == hood.size + 2 * ((len(expected) - hood.size) // 2)
    assert found.keys() == expected.keys()
    keys = sorted(expected)
    np.testing.assert_allclose(
        [found[k] for k in keys], [expected[k] for k in keys], rtol=1e-12, atol=1e-9
    )
    assert hood.size == len(latitudes) and hood.max_km == 20.0
    assert (np.diff(hood.rows) >= 0).all()  # ordered by row


def test_neighbourhood_keeps_a_pair_at_exactly_max_km_and_drops_one_beyond():
    latitudes, longitudes = on_equator(0.0, 20.0, 20.001)
    hood = build_neighbourhood(latitudes, longitudes, max_km=20.0)
    pairs = set(zip(hood.rows.tolist(), hood.cols.tolist(), strict=True))
    assert {(0, 1), (1, 0), (1, 2), (2, 1)} <= pairs
    assert (0, 2) not in pairs
    assert {(0, 0), (1, 1), (2, 2)} <= pairs


def test_neighbourhood_of_nothing_is_empty():
    hood = build_neighbourhood([], [])
    assert hood.size == 0 and len(hood) == 0
    assert e2sfca([], [], hood).shape == (0,)


def test_neighbourhood_across_the_antimeridian():
    hood = build_neighbourhood([0.0, 0.0], [179.95, -179.95], max_km=20.0)
    assert (0, 1) in set(zip(hood.rows.tolist(), hood.cols.tolist(), strict=True))
    assert hood.distances_km.max() == pytest.approx(0.1 * KM_PER_DEGREE)


# --- Bands ---------------------------------------------------------------------------------


def test_band_edges_are_inclusive():
    distances = [0.0, 9.9999, 10.0, 10.0001, 15.0, 15.0001, 20.0, 20.0001, 1e6]
    assert band_weights(distances).tolist() == [
        1.0,
        1.0,
        1.0,
        2 / 3,
        2 / 3,
        1 / 3,
        1 / 3,
        0.0,
        0.0,
    ]


@pytest.mark.parametrize(
    "bands, message",
    [
        ((), "non-empty"),
        (((10.0, 1.0), (10.0, 0.5)), "strictly increasing"),
        (((15.0, 1.0), (10.0, 0.5)), "strictly increasing"),
        (((-1.0, 1.0),), "non-negative"),
        (((10.0, 1.5),), "between 0 and 1"),
        (((10.0, -0.1),), "between 0 and 1"),
        (((10.0, float("nan")),), "finite"),
        (((10.0, 1.0, 3.0),), "pairs"),
    ],
)
def test_bad_bands_are_refused(bands, message):
    with pytest.raises(ValueError, match=message):
        band_weights([1.0], bands)


def test_bad_distances_are_refused():
    with pytest.raises(ValueError, match="distances_km contains NaN"):
        band_weights([1.0, float("nan")])
    with pytest.raises(ValueError, match="distances_km must be non-negative"):
        band_weights([-0.5])


# --- E2SFCA: closed forms ------------------------------------------------------------------


def test_one_supply_point_with_one_population():
    # Unit 0 has 3 professionals and 1,500 inhabitants; the others are empty, at 5, 12,
    # 18 and 25 km: they see the ratio of unit 0 through their band's weight.
    latitudes, longitudes = on_equator(0.0, 5.0, 12.0, 18.0, 25.0)
    hood = build_neighbourhood(latitudes, longitudes)
    result = e2sfca([3.0, 0, 0, 0, 0], [1500.0, 0, 0, 0, 0], hood)
    ratio = 10_000 * 3.0 / 1500.0
    np.testing.assert_allclose(result, [ratio, ratio, ratio * 2 / 3, ratio / 3, 0.0], rtol=1e-14)


def test_supply_with_no_demand_in_reach_gives_zero_not_nan():
    latitudes, longitudes = on_equator(0.0, 50.0)
    hood = build_neighbourhood(latitudes, longitudes)
    result = e2sfca([2.0, 1.0], [1000.0, 0.0], hood)
    assert result.tolist() == [20.0, 0.0]


def test_uniform_grid_gives_the_same_accessibility_in_the_interior():
    # 31 x 31 points 3.7 km apart around (0°, 0°): no pair falls on a band edge. A unit at
    # least 40 km from the edges only sees units whose catchments are full, so everyone
    # there gets per * s / p exactly (the weights cancel out).
    side, spacing = 31, 3.7 / KM_PER_DEGREE
    offsets = (np.arange(side) - side // 2) * spacing
    latitudes, longitudes = (a.ravel() for a in np.meshgrid(offsets, offsets, indexing="ij"))
    hood = build_neighbourhood(latitudes, longitudes)
    result = e2sfca(np.full(side * side, 2.0), np.full(side * side, 800.0), hood)
    row, col = np.divmod(np.arange(side * side), side)
    interior = (np.minimum(row, col) >= 11) & (np.maximum(row, col) <= side - 12)
    assert interior.sum() == 81
    np.testing.assert_allclose(result[interior], 10_000 * 2.0 / 800.0, rtol=1e-12)
    # Near the edges, fewer neighbours share the same supply: not all equal any more.
    assert np.ptp(result) > 1e-3


def test_e2sfca_agrees_with_the_naive_oracle():
    for seed in (2, 3, 4):
        latitudes, longitudes, supply, demand = random_units(seed)
        hood = build_neighbourhood(latitudes, longitudes, max_km=20.0)
        expected = oracle_e2sfca(latitudes, longitudes, supply, demand)
        np.testing.assert_allclose(e2sfca(supply, demand, hood), expected, rtol=1e-12)


def test_e2sfca_agrees_with_the_oracle_for_other_bands_and_per():
    latitudes, longitudes, supply, demand = random_units(seed=5)
    bands = ((5.0, 1.0), (30.0, 0.25))
    hood = build_neighbourhood(latitudes, longitudes, max_km=30.0)
    expected = oracle_e2sfca(latitudes, longitudes, supply, demand, bands=bands, per=1.0)
    np.testing.assert_allclose(e2sfca(supply, demand, hood, bands, per=1.0), expected, rtol=1e-12)


def test_several_professions_at_once_match_one_at_a_time():
    latitudes, longitudes, supply, demand = random_units(seed=6)
    hood = build_neighbourhood(latitudes, longitudes)
    professions = np.column_stack([supply, supply[::-1], np.zeros_like(supply)])
    together = e2sfca(professions, demand, hood)
    assert together.shape == professions.shape
    for k in range(3):
        np.testing.assert_allclose(together[:, k], e2sfca(professions[:, k], demand, hood))


def test_neighbourhood_pairs_in_any_order_give_the_same_result():
    latitudes, longitudes, supply, demand = random_units(seed=7)
    hood = build_neighbourhood(latitudes, longitudes)
    order = np.random.default_rng(0).permutation(len(hood))
    shuffled = Neighbourhood(
        rows=hood.rows[order],
        cols=hood.cols[order],
        distances_km=hood.distances_km[order],
        size=hood.size,
    )
    np.testing.assert_allclose(
        e2sfca(supply, demand, shuffled), e2sfca(supply, demand, hood), rtol=1e-12
    )


def test_two_step_fca_is_e2sfca_with_one_band_of_weight_one():
    latitudes, longitudes, supply, demand = random_units(seed=8)
    hood = build_neighbourhood(latitudes, longitudes, max_km=20.0)
    np.testing.assert_array_equal(
        two_step_fca(supply, demand, hood, max_km=15.0),
        e2sfca(supply, demand, hood, bands=((15.0, 1.0),)),
    )
    expected = oracle_e2sfca(latitudes, longitudes, supply, demand, bands=((15.0, 1.0),))
    np.testing.assert_allclose(two_step_fca(supply, demand, hood, 15.0), expected, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 40),
    span_km=st.floats(0.5, 80.0),
)
def test_demand_weighted_accessibility_adds_up_to_the_total_supply(seed, count, span_km):
    # With symmetric weights, sum_i P_i A_i / per = sum_j R_j sum_i W_ji P_i = sum_j S_j
    # whenever every supply unit has some demand in reach (here: its own, P_j >= 1).
    rng = np.random.default_rng(seed)
    latitudes = 44.0 + rng.uniform(0, span_km / KM_PER_DEGREE, count)
    longitudes = 2.0 + rng.uniform(0, span_km / KM_PER_DEGREE, count)
    supply = rng.poisson(2.0, count) * rng.uniform(0.2, 1.0, count)
    demand = rng.integers(1, 10_000, count).astype(float)
    hood = build_neighbourhood(latitudes, longitudes, max_km=20.0)
    result = e2sfca(supply, demand, hood, per=10_000.0)
    assert demand @ result / 10_000.0 == pytest.approx(supply.sum(), rel=1e-9, abs=1e-12)
    # 2SFCA with everyone within reach of everyone: the same ratio S / P everywhere.
    reach = 2 * span_km
    hood = build_neighbourhood(latitudes, longitudes, max_km=reach)
    result = two_step_fca(supply, demand, hood, max_km=reach, per=10_000.0)
    assert demand @ result / 10_000.0 == pytest.approx(supply.sum(), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(result, 10_000.0 * supply.sum() / demand.sum(), rtol=1e-9)


# --- Population-weighted mean --------------------------------------------------------------


def test_population_weighted_mean_of_a_constant_is_the_constant():
    population = np.random.default_rng(9).integers(0, 10_000, 50)
    population[0] = 1
    assert population_weighted_mean(np.full(50, 7.25), population) == pytest.approx(7.25)


def test_population_weighted_mean_with_a_mask():
    values, population = [1.0, 3.0, 100.0], [1, 3, 1_000]
    assert population_weighted_mean(values, population) == pytest.approx(100_010 / 1004)
    mask = np.array([True, True, False])
    assert population_weighted_mean(values, population, mask) == pytest.approx(10 / 4)


def test_population_weighted_mean_refuses_bad_input():
    with pytest.raises(ValueError, match="population is zero"):
        population_weighted_mean([1.0, 2.0], [0, 0])
    with pytest.raises(ValueError, match="population is zero"):
        population_weighted_mean([1.0, 2.0], [5, 0], mask=np.array([False, True]))
    with pytest.raises(ValueError, match="values contains NaN"):
        population_weighted_mean([1.0, float("nan")], [1, 1])
    with pytest.raises(ValueError, match="population has 1 rows, expected 2"):
        population_weighted_mean([1.0, 2.0], [1])
    with pytest.raises(ValueError, match="mask must be a boolean array"):
        population_weighted_mean([1.0, 2.0], [1, 1], mask=[1, 0])


# --- Validation ----------------------------------------------------------------------------


@pytest.fixture
def small():
    latitudes, longitudes = on_equator(0.0, 5.0, 12.0)
    return build_neighbourhood(latitudes, longitudes)


@pytest.mark.parametrize(
    "supply, demand, message",
    [
        ([1.0, 0.0], [1.0, 1.0, 1.0], "supply has 2 rows, expected 3"),
        ([1.0, 0.0, 0.0], [1.0, 1.0], "demand has 2 rows, expected 3"),
        ([1.0, -1.0, 0.0], [1.0, 1.0, 1.0], "supply must be non-negative"),
        ([1.0, 0.0, 0.0], [1.0, -1.0, 1.0], "demand must be non-negative"),
        ([1.0, float("nan"), 0.0], [1.0, 1.0, 1.0], "supply contains NaN"),
        ([1.0, 0.0, 0.0], [1.0, float("nan"), 1.0], "demand contains NaN"),
        ([1.0, float("inf"), 0.0], [1.0, 1.0, 1.0], "supply contains infinite"),
        ([1.0, 0.0, 0.0], [[1.0, 1.0, 1.0]], "demand must be a 1-D array"),
        (np.zeros((3, 2, 2)), [1.0, 1.0, 1.0], "supply must be a 1-D or 2-D array"),
        (["a", "b", "c"], [1.0, 1.0, 1.0], "supply must be numeric"),
    ],
)
def test_e2sfca_refuses_bad_supply_and_demand(small, supply, demand, message):
    with pytest.raises(ValueError, match=message):
        e2sfca(supply, demand, small)


def test_e2sfca_refuses_bands_beyond_the_neighbourhood(small):
    with pytest.raises(ValueError, match="build it with max_km >= 30"):
        e2sfca([1.0, 0, 0], [1.0, 1, 1], small, bands=((30.0, 1.0),))
    with pytest.raises(ValueError, match="build it with max_km >= 25"):
        two_step_fca([1.0, 0, 0], [1.0, 1, 1], small, max_km=25.0)


def test_e2sfca_refuses_a_bad_per_and_a_broken_neighbourhood(small):
    with pytest.raises(ValueError, match="per must be a positive number"):
        e2sfca([1.0, 0, 0], [1.0, 1, 1], small, per=0)
    broken = Neighbourhood(np.array([0, 5]), np.array([0, 0]), np.array([0.0, 1.0]), size=3)
    with pytest.raises(ValueError, match="indices must lie between 0 and 2"):
        e2sfca([1.0, 0, 0], [1.0, 1, 1], broken)
    uneven = Neighbourhood(np.array([0, 1]), np.array([0]), np.array([0.0]), size=3)
    with pytest.raises(ValueError, match="same length"):
        e2sfca([1.0, 0, 0], [1.0, 1, 1], uneven)
    floats = Neighbourhood(np.array([0.0]), np.array([0.0]), np.array([0.0]), size=3)
    with pytest.raises(ValueError, match="integer arrays"):
        e2sfca([1.0, 0, 0], [1.0, 1, 1], floats)


@pytest.mark.parametrize(
    "latitudes, longitudes, max_km, message",
    [
        ([0.0, 1.0], [0.0], 20.0, "longitudes has 1 rows, expected 2"),
        ([91.0], [0.0], 20.0, "latitudes must lie between -90 and 90"),
        ([0.0], [181.0], 20.0, "longitudes must lie between -180 and 180"),
        ([float("nan")], [0.0], 20.0, "latitudes contains NaN"),
        ([0.0], [0.0], 0.0, "max_km must be a positive number"),
        ([0.0], [0.0], float("inf"), "max_km must be a positive number"),
    ],
)
def test_build_neighbourhood_refuses_bad_input(latitudes, longitudes, max_km, message):
    with pytest.raises(ValueError, match=message):
        build_neighbourhood(latitudes, longitudes, max_km=max_km)


def test_module_has_no_django_import():
    with open(accessibility.__file__, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported)
