"""The regulators' search against a brute-force oracle: every slot of the database checked
one by one in Python (consent, window, distance, region, filters), the radius widened step by
step, the results sorted by distance, start and id."""

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interurps.analytics.sas_search import radii_for
from interurps.sas.models import SearchRadius, Site, Slot
from interurps.sas.regulation import selectors
from interurps.sas.regulation.selectors import EXTRAS_SHOWN, SearchCriteria, slot_search
from interurps.sas.tests.regulation_helpers import (
    care_request_create,
    effector_create,
    site_create,
    slot_create,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
ORIGIN = (47.2184, -1.5536)  # Nantes
T0 = datetime(2026, 3, 16, 8, 0, tzinfo=PARIS)
WINDOW = (T0, T0 + timedelta(hours=72))


def oracle_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (spherical law of cosines: another formula than the module's)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(
        math.radians(lon2 - lon1)
    )
    return 6371.0088 * math.acos(max(-1.0, min(1.0, cos)))


def oracle(criteria: SearchCriteria):
    """(radius, ordered slot ids, extras' effector ids) by brute force."""

    def effector_matches(effector):
        if effector.region_id != criteria.region_code or effector.suspended_on is not None:
            return False
        professional = effector.professional
        if criteria.profession and professional.profession_id != criteria.profession:
            return False
        return True

    candidates = []
    for slot in Slot.objects.select_related("site", "effector", "effector__professional"):
        if not (slot.shared and slot.cancelled_at is None and slot.booked < slot.capacity):
            continue
        if not slot.type_snp or not effector_matches(slot.effector):
            continue
        if not (criteria.window_start <= slot.start < criteria.window_end):
            continue
        if criteria.consultation_type and slot.consultation_type != criteria.consultation_type:
            continue
        distance = oracle_km(
            criteria.latitude, criteria.longitude, slot.site.latitude, slot.site.longitude
        )
        candidates.append((distance, slot.start, slot.pk, slot.effector_id))
    radii = selectors.radii_of(criteria.department_code)
    radius = criteria.radius_km if criteria.radius_km is not None else radii.default_km
    cap = max(radii.cap_km, radius)
    while len({c[3] for c in candidates if c[0] <= radius}) < 5 and radius < cap:
        radius = min(radius + radii.enlargement_km, cap)
    inside = sorted(c for c in candidates if c[0] <= radius)
    extras = set()
    for site in Site.objects.select_related("effector", "effector__professional"):
        effector = site.effector
        if not (effector.accepts_extra_patients and effector_matches(effector)):
            continue
        if oracle_km(criteria.latitude, criteria.longitude, site.latitude, site.longitude) <= (
            radius
        ):
            extras.add(effector.pk)
    return radius, [c[2] for c in inside], extras


def criteria(**fields) -> SearchCriteria:
    values = {
        "latitude": ORIGIN[0],
        "longitude": ORIGIN[1],
        "department_code": "44",
        "region_code": "52",
        "window_start": WINDOW[0],
        "window_end": WINDOW[1],
    }
    values.update(fields)
    return SearchCriteria(**values)


def random_world(rng: random.Random, size: int) -> None:
    """`size` effectors with one or two sites within about 35 km and up to five slots each;
    every consent flag and both window edges drawn (offered slots the common case)."""

    def mostly(value: bool) -> bool:
        return value if rng.random() < 0.8 else not value

    for _ in range(size):
        effector = effector_create(
            region_code="52" if mostly(True) else "11",
            profession=rng.choice(["medecins", "infirmiers"]),
            suspended=mostly(False),
            accepts_extra_patients=rng.random() < 0.3,
        )
        sites = [
            site_create(
                effector,
                latitude=ORIGIN[0] + rng.uniform(-0.3, 0.3),
                longitude=ORIGIN[1] + rng.uniform(-0.45, 0.45),
            )
            for _ in range(rng.randint(1, 2))
        ]
        for _ in range(rng.randint(1, 5)):
            capacity = rng.randint(1, 2)
            hours = rng.choice([-1, 0, 72, 73]) if rng.random() < 0.2 else rng.randint(-6, 80)
            slot_create(
                rng.choice(sites),
                start=T0 + timedelta(hours=hours, minutes=rng.choice([0, 0, 20, 40])),
                shared=mostly(True),
                cancelled_at=None if mostly(True) else T0,
                capacity=capacity,
                booked=min(rng.choice([0, 0, 0, 1, 2]), capacity),
                type_snp=mostly(True),
                type_public=rng.random() < 0.5,
                consultation_type=rng.choice(["office", "office", "home"]),
            )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(4, 24),
    radius=st.one_of(st.none(), st.floats(1, 30)),
    profession=st.sampled_from(["", "", "infirmiers"]),
    consultation=st.sampled_from(["", "", "office"]),
)
def test_search_matches_the_brute_force_oracle(seed, size, radius, profession, consultation):
    with transaction.atomic():
        random_world(random.Random(seed), size)
        search = criteria(radius_km=radius, profession=profession, consultation_type=consultation)
        result = slot_search(search, limit=10_000)
        expected_radius, expected_ids, expected_extras = oracle(search)
        assert result.radius_km == pytest.approx(expected_radius)
        assert [r.slot.pk for r in result.slots] == expected_ids
        assert result.slot_count == len(expected_ids)
        shown = [e.effector.pk for e in result.extras]
        assert set(shown) <= expected_extras and len(shown) == len(set(shown))
        assert len(shown) == min(len(expected_extras), EXTRAS_SHOWN)
        assert result.extra_count == len(expected_extras)
        assert [e.distance_km for e in result.extras] == sorted(
            e.distance_km for e in result.extras
        )
        # the page's first slots, read from the nearest rings when they suffice
        first = slot_search(search, limit=3)
        assert [r.slot.pk for r in first.slots] == expected_ids[:3]
        if not first.complete:
            assert first.radius_km == expected_radius == first.start_radius_km
        for row in result.slots:  # consent, whatever the draw
            slot = row.slot
            assert slot.shared and slot.cancelled_at is None and slot.booked < slot.capacity
            assert slot.type_snp and slot.effector.suspended_on is None
            assert slot.effector.region_id == "52"
        transaction.set_rollback(True)


def test_window_start_is_inside_and_window_end_outside():
    effector = effector_create()
    site = site_create(effector, latitude=ORIGIN[0], longitude=ORIGIN[1])
    at_start = slot_create(site, start=WINDOW[0])
    at_end = slot_create(site, start=WINDOW[1])
    before = slot_create(site, start=WINDOW[0] - timedelta(seconds=1))
    ids = [r.slot.pk for r in slot_search(criteria()).slots]
    assert at_start.pk in ids
    assert at_end.pk not in ids and before.pk not in ids


def test_a_site_exactly_at_the_radius_is_inside():
    effector = effector_create()
    near = site_create(effector, latitude=ORIGIN[0] + 0.05, longitude=ORIGIN[1])
    slot = slot_create(near, start=T0 + timedelta(hours=1))
    far = site_create(effector_create(), latitude=ORIGIN[0] + 0.3, longitude=ORIGIN[1])
    far_slot = slot_create(far, start=T0 + timedelta(hours=1))
    # the radius is the site's own distance, as the search computes it
    distance = slot_search(criteria(radius_km=30)).slots[0].distance_km
    SearchRadius.objects.create(department_id="44", default_km=distance, enlargement_km=1)
    found = slot_search(criteria(department_code="44")).slots
    assert found[0].slot.pk == slot.pk
    assert found[0].distance_km == distance
    # 2 effectors < 5: the radius widens by 1 km steps up to the department's cap (118 km)
    assert far_slot.pk in [r.slot.pk for r in found]


def test_unshared_cancelled_full_public_only_and_suspended_slots_never_appear():
    site = site_create(effector_create(), latitude=ORIGIN[0], longitude=ORIGIN[1])
    start = T0 + timedelta(hours=2)
    offered = slot_create(site, start=start)
    hidden = [
        slot_create(site, start=start, shared=False),
        slot_create(site, start=start, cancelled_at=T0),
        slot_create(site, start=start, capacity=1, booked=1),
        slot_create(site, start=start, type_snp=False, type_public=True),
    ]
    suspended_site = site_create(
        effector_create(suspended=True), latitude=ORIGIN[0], longitude=ORIGIN[1]
    )
    hidden.append(slot_create(suspended_site, start=start))
    other_region = site_create(
        effector_create(region_code="11"), latitude=ORIGIN[0], longitude=ORIGIN[1]
    )
    hidden.append(slot_create(other_region, start=start))
    ids = [r.slot.pk for r in slot_search(criteria()).slots]
    assert ids == [offered.pk]
    assert not {s.pk for s in hidden} & set(ids)


def test_order_is_distance_then_start():
    near = site_create(effector_create(), latitude=ORIGIN[0] + 0.01, longitude=ORIGIN[1])
    farther = site_create(effector_create(), latitude=ORIGIN[0] + 0.03, longitude=ORIGIN[1])
    late_near = slot_create(near, start=T0 + timedelta(hours=30))
    early_near = slot_create(near, start=T0 + timedelta(hours=3))
    early_far = slot_create(farther, start=T0 + timedelta(hours=1))
    ids = [r.slot.pk for r in slot_search(criteria(radius_km=10)).slots]
    assert ids == [early_near.pk, late_near.pk, early_far.pk]


def test_radius_widens_while_fewer_than_five_effectors_then_stops():
    # Loire-Atlantique: 10 km, widened by 5 km. Effectors at about 3, 8, 12, 16, 22 and
    # 40 km north: the fifth is reached at 25 km; the sixth (40 km) stays out.
    km = 1 / 111.2
    effectors = []
    for distance in (3, 8, 12, 16, 22, 40):
        site = site_create(
            effector_create(), latitude=ORIGIN[0] + distance * km, longitude=ORIGIN[1]
        )
        slot_create(site, start=T0 + timedelta(hours=5))
        effectors.append(site.effector_id)
    result = slot_search(criteria())
    assert radii_for("44").default_km == 10
    assert result.start_radius_km == 10
    assert result.radius_km == 25
    assert result.widened
    assert result.effector_count == 5
    assert {r.slot.effector_id for r in result.slots} == set(effectors[:5])


def test_five_effectors_inside_the_default_radius_need_no_widening():
    for _ in range(5):
        site = site_create(effector_create(), latitude=ORIGIN[0], longitude=ORIGIN[1] + 0.02)
        slot_create(site, start=T0 + timedelta(hours=5))
    far = site_create(effector_create(), latitude=ORIGIN[0] + 0.5, longitude=ORIGIN[1])
    slot_create(far, start=T0 + timedelta(hours=5))
    result = slot_search(criteria())
    assert result.radius_km == 10 and not result.widened
    assert result.effector_count == 5


def test_the_federation_overrides_the_department_radius():
    SearchRadius.objects.create(department_id="44", default_km=3, enlargement_km=2)
    site = site_create(effector_create(), latitude=ORIGIN[0] + 0.1, longitude=ORIGIN[1])
    slot_create(site, start=T0 + timedelta(hours=5))
    result = slot_search(criteria())
    assert result.start_radius_km == 3
    # one effector only: widened by 2 km steps (3, 5, … 117) to the national cap of 44
    assert result.radius_km == 118
    assert result.effector_count == 1


def test_effectors_accepting_extra_patients_are_shown_apart():
    extra = effector_create(accepts_extra_patients=True)
    site_create(extra, latitude=ORIGIN[0] + 0.01, longitude=ORIGIN[1])
    site_create(extra, latitude=ORIGIN[0] + 0.02, longitude=ORIGIN[1])
    no_extra = effector_create()
    site_create(no_extra, latitude=ORIGIN[0], longitude=ORIGIN[1])
    result = slot_search(criteria(radius_km=5))
    assert result.slots == []
    assert [e.effector.pk for e in result.extras] == [extra.pk]
    assert result.extras[0].distance_km == pytest.approx(0.01 * 111.2, rel=0.01)


def test_the_default_window_ends_at_midnight_after_the_day_after_tomorrow():
    now = datetime(2026, 3, 16, 22, 30, tzinfo=PARIS)
    start, end = selectors.default_window(now)
    assert start == now
    assert timezone.localtime(end) == datetime(2026, 3, 19, 0, 0, tzinfo=PARIS)


def test_criteria_of_a_care_request_use_its_commune_and_region():
    care_request = care_request_create()
    search = selectors.criteria_for(care_request)
    assert search.department_code == "44" and search.region_code == "52"
    assert (search.latitude, search.longitude) == (
        care_request.commune.latitude,
        care_request.commune.longitude,
    )
    point = selectors.criteria_for(care_request, point=(47.0, -1.0))
    assert (point.latitude, point.longitude) == (47.0, -1.0)


def test_a_dense_ring_fills_the_page_without_reading_farther():
    # six effectors 500 m away with five slots each; one 5 km away with the earliest slot
    near_ids = []
    for _ in range(6):
        site = site_create(effector_create(), latitude=ORIGIN[0] + 0.0045, longitude=ORIGIN[1])
        near_ids += [slot_create(site, start=T0 + timedelta(hours=h)).pk for h in range(1, 6)]
    far = site_create(effector_create(), latitude=ORIGIN[0] + 0.045, longitude=ORIGIN[1])
    slot_create(far, start=T0)
    result = slot_search(criteria(), limit=10)
    assert not result.complete and result.radius_km == 10
    assert result.slot_count == 30 and result.effector_count == 6  # the ring's
    assert [r.slot.pk for r in result.slots] == oracle(criteria())[1][:10]
    assert {r.slot.pk for r in result.slots} <= set(near_ids)
    assert slot_search(criteria(), limit=100).complete


def test_the_nearest_extra_effectors_are_shown_and_all_are_counted():
    effectors = [effector_create(accepts_extra_patients=True) for _ in range(EXTRAS_SHOWN + 5)]
    for n, effector in enumerate(effectors):  # the farther, the later created
        site_create(effector, latitude=ORIGIN[0] + 0.001 * (n + 1), longitude=ORIGIN[1])
    result = slot_search(criteria(radius_km=10))
    assert result.extra_count == EXTRAS_SHOWN + 5
    assert [e.effector.pk for e in result.extras] == [e.pk for e in effectors[:EXTRAS_SHOWN]]
