"""SAS indicators on a small hand-made dataset: each expected figure written from first
principles (durations added by hand, requests counted one by one)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interurps.cpts.models import Cpts
from interurps.geography.models import Department
from interurps.sas.indicators import selectors
from interurps.sas.indicators.selectors import Filters
from interurps.sas.tests import indicators_data as d

pytestmark = pytest.mark.django_db

# ISO week 10 of 2026: Monday 2 March to Sunday 8 March; week 11: 9 to 15 March.
TWO_WEEKS = (date(2026, 3, 2), date(2026, 3, 15))


def filters(start=TWO_WEEKS[0], end=TWO_WEEKS[1], **kw) -> Filters:
    return Filters(region=d.region(), start=start, end=end, **kw)


@pytest.fixture
def dataset():
    a = d.effector(last_name="Alpha")
    b = d.effector(last_name="Bravo")
    c = d.effector(last_name="Charlie", commune_code="72181")  # Le Mans, Sarthe
    suspended = d.effector(last_name="Suspendu", suspended_on=date(2026, 3, 1))
    elsewhere = d.effector(last_name="Paris", commune_code="75056", region_code="11")
    # A: 1 h + 1 h 30 in week 10, 30 min in week 11.
    d.slot(a, d.at(2026, 3, 2, 9), 60, booked=1)
    d.slot(a, d.at(2026, 3, 3, 10), 90)
    d.slot(a, d.at(2026, 3, 10, 10), 30)
    # B: exactly 2 h in week 10, three places, one taken.
    d.slot(b, d.at(2026, 3, 4, 14), 120, capacity=3, booked=1)
    # C: 1 h 59 in week 10; an unshared and a cancelled slot that do not count.
    d.slot(c, d.at(2026, 3, 5, 8), 119)
    d.slot(c, d.at(2026, 3, 6, 8), 180, shared=False)
    d.slot(c, d.at(2026, 3, 6, 14), 60, cancelled_at=timezone.now())
    # Suspended since 1 March; outside the region; outside the period (Sunday 1 March).
    d.slot(suspended, d.at(2026, 3, 3, 9), 60)
    d.slot(elsewhere, d.at(2026, 3, 3, 9), 60)
    d.slot(a, d.at(2026, 3, 1, 23), 60)
    return {"a": a, "b": b, "c": c}


def test_hours_per_week_and_participants(dataset):
    result = selectors.indicators(filters())
    week10, week11 = result.weeks
    assert week10.label == "S10 2026" and week11.label == "S11 2026"
    # 1 + 1.5 + 2 + 119/60 hours in week 10; 0.5 h in week 11.
    assert week10.hours == pytest.approx(1 + 1.5 + 2 + 119 / 60, abs=0.01)
    assert week11.hours == pytest.approx(0.5)
    assert result.total_hours == pytest.approx(7 - 1 / 60, abs=0.01)
    # Participants in week 10: A (2.5 h), B (exactly 2 h: counts), C (1 h 59: does not).
    assert (week10.participants, week10.at_threshold) == (3, 2)
    assert (week11.participants, week11.at_threshold) == (1, 0)


def test_average_of_two_hours_a_week_over_the_period(dataset):
    one_week = selectors.indicators(filters(end=date(2026, 3, 8)))
    # Week 10 alone: A 2.5 h, B 2 h, C 1 h 59.
    assert (one_week.participants, one_week.participants_at_threshold) == (3, 2)
    two_weeks = selectors.indicators(filters())
    # Over two weeks: A 3 h / 2 = 1.5, B 1, C < 1: nobody at 2 h a week on average.
    assert (two_weeks.participants, two_weeks.participants_at_threshold) == (3, 0)
    averages = {row.name: row.weekly_average for row in two_weeks.effectors}
    assert averages["Camille Alpha"] == 1.5 and averages["Camille Bravo"] == 1.0


def test_slots_offered_and_used(dataset):
    result = selectors.indicators(filters(end=date(2026, 3, 8)))
    # Week 10: A's two slots, B's, C's shared one; places 1 + 1 + 3 + 1, taken 1 + 1.
    assert (result.slots, result.places, result.booked) == (4, 6, 2)
    assert result.occupancy == pytest.approx(100 * 2 / 6)


def test_groups_by_department_and_cpts(dataset):
    cpts = Cpts.objects.create(
        region=d.region(), name="CPTS de test", main_department=Department.objects.get(code="44")
    )
    member = d.effector(last_name="Membre", through=d.cpts_structure(cpts))
    d.slot(member, d.at(2026, 3, 4, 9), 45)
    result = selectors.indicators(filters())
    departments = {row.key: row.hours for row in result.departments}
    assert departments == pytest.approx({"44": 1 + 1.5 + 0.5 + 2 + 0.75, "72": 119 / 60}, abs=0.01)
    groups = {row.label: (row.hours, row.effectors) for row in result.cpts}
    assert groups["CPTS de test"] == (0.75, 1)
    assert groups["Sans CPTS"][1] == 3
    only_cpts = selectors.indicators(filters(cpts=cpts))
    assert (only_cpts.total_hours, only_cpts.participants) == (0.75, 1)
    sarthe = selectors.indicators(filters(department=Department.objects.get(code="72")))
    assert sarthe.participants == 1 and sarthe.total_hours == pytest.approx(1.98, abs=0.01)


@pytest.fixture
def requests_dataset():
    e = d.effector()
    r1 = d.care_request(d.at(2026, 3, 2, 8))
    d.appointment(e, d.at(2026, 3, 4, 8), request=r1)  # exactly 48 h: counts
    r2 = d.care_request(d.at(2026, 3, 2, 8))
    d.appointment(e, d.at(2026, 3, 4, 8, 1), request=r2)  # 48 h 01: does not
    r3 = d.care_request(d.at(2026, 3, 3, 10))
    d.appointment(e, d.at(2026, 3, 3, 11), request=r3, status="cancelled")  # cancelled
    d.appointment(e, d.at(2026, 3, 5, 12), request=r3)  # 50 h
    d.care_request(d.at(2026, 3, 3, 10), outcome="advice")
    d.care_request(d.at(2026, 3, 3, 11), outcome="pending")
    d.care_request(d.at(2026, 3, 4, 11), outcome="no_slot", commune_code="72181")
    d.care_request(d.at(2026, 3, 4, 11), outcome="advice", region_code="11", commune_code="75056")
    return e


def test_requests_by_outcome_and_within_48_hours(requests_dataset):
    result = selectors.indicators(filters())
    outcomes = {code: n for code, _, n in result.outcomes}
    assert outcomes == {"pending": 1, "booked": 3, "advice": 1, "emergency": 0, "no_slot": 1}
    assert result.requests == 6
    assert result.closed_requests == 5  # pending left out
    assert result.with_appointment == 3
    assert result.within_48h == 1
    assert result.within_48h_share == pytest.approx(20.0)
    # Delays 48 h, 48 h 01, 50 h (the cancelled one ignored): median 48 h 01.
    assert result.median_delay == timedelta(hours=48, minutes=1)


def test_median_of_an_even_number_of_delays():
    e = d.effector()
    for hours in (2, 10):
        request = d.care_request(d.at(2026, 3, 2, 8))
        d.appointment(e, d.at(2026, 3, 2, 8) + timedelta(hours=hours), request=request)
    assert selectors.indicators(filters()).median_delay == timedelta(hours=6)


def test_no_data_no_division_by_zero():
    result = selectors.indicators(filters())
    assert result.total_hours == 0 and result.occupancy is None
    assert result.within_48h_share is None and result.median_delay is None
    assert [w.label for w in result.weeks] == ["S10 2026", "S11 2026"]


def test_demand_supply_and_white_zones(dataset, requests_dataset):
    rows = {row.code: row for row in selectors.demand_and_supply(filters())}
    nantes, le_mans = rows["44109"], rows["72181"]
    assert nantes.requests == 5 and le_mans.requests == 1
    assert nantes.hours == pytest.approx(1 + 1.5 + 0.5 + 2, abs=0.01)
    assert le_mans.hours == pytest.approx(119 / 60, abs=0.01)
    assert nantes.distance_km == pytest.approx(0, abs=0.01) and not nantes.white_zone
    # Sites only in Nantes and Le Mans: a populous commune far from both is a white zone,
    # one within the radius is not; a small commune without demand never is.
    far = [r for r in rows.values() if r.distance_km and r.distance_km > 10]
    assert far and all(r.white_zone == ((r.population or 0) >= 1000) for r in far)
    near = [r for r in rows.values() if r.distance_km is not None and r.distance_km <= 10]
    assert near and not any(r.white_zone for r in near)
    wider = {r.code: r for r in selectors.demand_and_supply(filters(radius_km=100))}
    assert sum(r.white_zone for r in wider.values()) < sum(r.white_zone for r in rows.values())


def test_white_zone_with_demand_and_no_slot_anywhere():
    d.care_request(d.at(2026, 3, 2, 8), commune_code="44109")
    rows = {row.code: row for row in selectors.demand_and_supply(filters())}
    assert rows["44109"].white_zone and rows["44109"].distance_km is None


def test_map_geojson_labels_and_colours(dataset, requests_dataset):
    collection = selectors.map_geojson(filters(department=Department.objects.get(code="44")))
    nantes = next(f for f in collection["features"] if f["properties"]["code"] == "44109")
    assert nantes["properties"]["label"].startswith("Nantes (44109) : 5 demandes, 5,0 h")
    assert nantes["properties"]["color"] == selectors.CATEGORY_COLORS["supply"]
    assert all(f["properties"]["code"].startswith("44") for f in collection["features"])


def test_query_count_does_not_grow_with_rows():
    def queries(n):
        for i in range(n):
            e = d.effector()
            d.slot(e, d.at(2026, 3, 2, 9) + timedelta(days=i % 10), 60 + i)
            r = d.care_request(d.at(2026, 3, 2, 8) + timedelta(hours=i))
            d.appointment(e, d.at(2026, 3, 3, 8) + timedelta(hours=i), request=r)
        with CaptureQueriesContext(connection) as context:
            selectors.indicators(filters())
            selectors.demand_and_supply(filters())
        return len(context.captured_queries)

    small = queries(2)
    assert queries(25) == small


def test_year_summary_has_no_names(dataset):
    summary = selectors.year_summary(d.region(), 2026)
    assert summary.participants == 3
    assert all(row.name == "" for row in summary.effectors)


def test_effector_statement_from_bookings():
    e = d.effector()
    # Week 10: 21 regulated bookings within 48 h, 1 after 48 h, 1 cancelled.
    for i in range(21):
        call = d.at(2026, 3, 2, 8) + timedelta(minutes=i)
        d.appointment(e, call + timedelta(hours=24), request=d.care_request(call))
    late_call = d.at(2026, 3, 2, 8)
    d.appointment(e, late_call + timedelta(hours=49), request=d.care_request(late_call))
    d.appointment(
        e, d.at(2026, 3, 3, 12), request=d.care_request(d.at(2026, 3, 3, 8)), status="cancelled"
    )
    d.slot(e, d.at(2026, 3, 2, 14), 150)
    statement = selectors.effector_statement(e, 2026, 3)
    assert (statement.acts, statement.eligible_acts, statement.paid_acts) == (22, 21, 20)
    assert (statement.over_cap_acts, statement.late_acts) == (1, 1)
    assert statement.total == 300
    week10 = next(line for line in statement.lines if line.iso_week == 10)
    assert week10.shared_hours == 2.5 and statement.weeks_at_threshold == 1
