"""The pure part of the regulators' search: radii table, distances, boxes, widening, order."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interurps.analytics import sas_search
from interurps.analytics.sas_search import (
    DEFAULT_RADII,
    FALLBACK_CAP_KM,
    NATIONAL_DEFAULT,
    Radii,
    bounding_box,
    haversine_km,
    order_results,
    radii_for,
    widen_radius,
)

SOURCE = Path("/work/shared/reference/sas-search-radii/departments_2025.csv")


@pytest.mark.skipif(not SOURCE.exists(), reason="the ANS table is only in the shared folder")
def test_the_table_is_the_ans_source():
    with SOURCE.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    carried = 0
    for row in rows:
        code = {"20A": "2A", "20B": "2B"}.get(row["code"], row["code"])
        default, step, county = (
            float(row[k]) for k in ("cityDefaultRadius", "enlargementValue", "countyRadius")
        )
        if default == step == county == 0:
            assert code not in DEFAULT_RADII
            assert radii_for(code) == NATIONAL_DEFAULT
            continue
        carried += 1
        assert DEFAULT_RADII[code] == Radii(default, step, county or None), code
    assert carried == len(DEFAULT_RADII) == 99


def test_radii_for_known_and_unknown_departments():
    assert radii_for("44") == Radii(10.0, 5.0, 118.0)
    assert radii_for("72") == Radii(20.0, 10.0, 112.0)
    assert radii_for("2a") == radii_for("2A")
    assert radii_for("974").cap_km == FALLBACK_CAP_KM
    assert radii_for("976") == NATIONAL_DEFAULT
    with pytest.raises(ValueError, match="department code"):
        radii_for("")


def test_haversine_closed_forms():
    # one degree of latitude along a meridian; a quarter of the equator
    assert haversine_km(0, 0, [1.0], [0.0])[0] == pytest.approx(sas_search.KM_PER_DEGREE)
    assert haversine_km(0, 0, [0.0], [90.0])[0] == pytest.approx(
        math.pi * sas_search.EARTH_RADIUS_KM / 2
    )
    assert haversine_km(47.2, -1.5, [47.2], [-1.5])[0] == 0
    assert haversine_km(47.2, -1.5, np.empty(0), np.empty(0)).shape == (0,)


@pytest.mark.parametrize(
    "args, message",
    [
        ((95, 0, [0], [0]), "latitude"),
        ((0, 0, [0, 1], [0]), "shape"),
        ((0, 0, [float("nan")], [0]), "finite"),
        ((0, 0, [91], [0]), "latitudes"),
    ],
)
def test_haversine_refuses_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        haversine_km(*args)


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-80, 80),
    lon=st.floats(-179, 179),
    radius=st.floats(0.1, 150),
    bearing=st.floats(0, 2 * math.pi),
    fraction=st.floats(0, 1),
)
def test_the_box_holds_every_point_within_the_radius(lat, lon, radius, bearing, fraction):
    # a point at `fraction` of the radius in direction `bearing` (spherical destination)
    delta = radius * fraction / sas_search.EARTH_RADIUS_KM
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(
        math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(bearing)
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(p1),
        math.cos(delta) - math.sin(p1) * math.sin(p2),
    )
    point_lat, point_lon = math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    assert min_lat <= point_lat <= max_lat
    if min_lon >= -180 and max_lon <= 180:  # the box does not cross the antimeridian
        assert min_lon <= point_lon <= max_lon


def naive_widening(distances, start, step, cap, wanted=5):
    radius = start
    while sum(d <= radius for d in distances) < wanted and radius < cap:
        radius = min(radius + step, cap)
    return radius


@settings(max_examples=300, deadline=None)
@given(
    distances=st.lists(st.floats(0, 200), max_size=12),
    start=st.floats(1, 30),
    step=st.sampled_from([3.0, 5.0, 10.0, 15.0, 20.0, 25.0]),
    extra=st.floats(0, 120),
)
def test_widening_is_the_engine_loop(distances, start, step, extra):
    cap = start + extra
    got = widen_radius(distances, start_km=start, step_km=step, cap_km=cap)
    assert got == pytest.approx(naive_widening(distances, start, step, cap))


def test_widening_examples():
    assert widen_radius([1, 2, 3, 4, 5], start_km=10, step_km=5, cap_km=100) == 10
    assert widen_radius([1, 2, 3, 4, 10.0], start_km=10, step_km=5, cap_km=100) == 10
    assert widen_radius([1, 2, 3, 4, 10.5], start_km=10, step_km=5, cap_km=100) == 15
    assert widen_radius([], start_km=10, step_km=5, cap_km=118) == 118
    with pytest.raises(ValueError, match="step_km"):
        widen_radius([1], start_km=10, step_km=0, cap_km=20)
    with pytest.raises(ValueError, match="cap_km"):
        widen_radius([1], start_km=10, step_km=5, cap_km=5)
    with pytest.raises(ValueError, match=">= 0"):
        widen_radius([-1], start_km=10, step_km=5, cap_km=50)


def test_order_free_slots_first_then_distance_then_start():
    free = [False, True, True, True, True]
    distance = [0.5, 3.0, 1.0, 1.0, 1.0]
    start = [np.nan, 0, 30, 10, 10]
    assert order_results(free, distance, start).tolist() == [3, 4, 2, 1, 0]
    with pytest.raises(ValueError, match="1-d arrays"):
        order_results([True], [1.0, 2.0], [0, 0])
    with pytest.raises(ValueError, match="NaN"):
        order_results([True], [float("nan")], [0])
