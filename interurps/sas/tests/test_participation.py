"""Participation hours are computed from the slots stored; below 2 hours a week is
strictly below (exactly 2 hours meets the statement)."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.analytics import sas_slots
from interurps.sas import selectors, services
from interurps.sas.tests.conftest import account, enrol, spec

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 23)  # the week summer time starts (Sunday 29 March)


def add(effector, day, start, end, *, shared=True):
    return services.slot_create(
        effector=effector,
        spec=spec(effector.sites.get(), shared=shared),
        start=services.local_datetime(day, start),
        end=services.local_datetime(day, end),
    )


def test_below_threshold_at_its_boundary():
    assert sas_slots.below_threshold(2.0) is False
    assert sas_slots.below_threshold(119 / 60) is True
    assert sas_slots.below_threshold(0.0) is True


def test_hours_count_only_shared_live_slots_of_the_week(sas):
    add(sas.other, MONDAY, time(18), time(19))
    add(sas.other, MONDAY + timedelta(days=2), time(12), time(13))  # 2 h exactly
    add(sas.other, MONDAY + timedelta(days=3), time(12), time(15), shared=False)
    services.slot_cancel(slot=add(sas.other, MONDAY + timedelta(days=4), time(9), time(12)))
    add(sas.other, MONDAY + timedelta(days=7), time(9), time(12))  # next week
    add(sas.other, MONDAY - timedelta(days=1), time(9), time(12))  # previous week
    hours = selectors.shared_hours([sas.other.pk], MONDAY)
    assert hours == {sas.other.pk: 2.0}
    data = selectors.participation(sas.region, today=MONDAY + timedelta(days=6))
    row = next(r for r in data["rows"] if r.effector == sas.other)
    assert (row.hours_current, row.hours_previous) == (2.0, 3.0)
    assert row.below_current is False and row.below_previous is False


def test_one_minute_short_is_below(sas):
    add(sas.other, MONDAY, time(18), time(19, 59))
    data = selectors.participation(sas.region, today=MONDAY)
    row = next(r for r in data["rows"] if r.effector == sas.other)
    assert row.below_current is True
    assert data["below_current"] == 2  # and the member, who shares nothing


def test_a_slot_over_the_dst_change_counts_its_real_length(sas):
    # 01:00 to 04:00 local on 29 March 2026 lasts 2 hours (02:00 is skipped).
    add(sas.other, date(2026, 3, 29), time(1), time(4))
    assert selectors.shared_hours([sas.other.pk], MONDAY) == {sas.other.pk: 2.0}


def test_participation_filters_and_totals(sas):
    sarthe = enrol(sas.region, commune="72264")
    add(sas.member, MONDAY, time(18), time(21))
    add(sarthe, MONDAY, time(18), time(19))
    services.effector_suspend(effector=sas.other, on=MONDAY, reason="Congé")
    data = selectors.participation(sas.region, today=MONDAY)
    assert data["participants"] == 2 and data["suspended"] == 1
    assert data["below_current"] == 1  # Sarthe's effector; the suspended one is not counted
    by_department = {g.key: (g.active, g.below, g.hours) for g in data["by_department"]}
    assert by_department == {"44": (1, 0, 3.0), "72": (1, 1, 1.0)}  # one suspended in 72
    by_cpts = {g.key: g.effectors for g in data["by_cpts"]}
    assert by_cpts == {"CPTS de test": 1, "Sans CPTS": 2}
    only_44 = selectors.participation(
        sas.region, today=MONDAY, department=sas.member_site.commune.department
    )
    assert [r.effector for r in only_44["rows"]] == [sas.member]
    only_cpts = selectors.participation(sas.region, today=MONDAY, cpts=sas.cpts)
    assert [r.effector for r in only_cpts["rows"]] == [sas.member]


def test_the_officer_page_shows_who_is_below(client, sas):
    today = timezone.localdate()
    add(sas.member, sas_slots.week_start(today), time(6), time(8))
    client.force_login(account(Role.FEDERATION_STAFF))
    response = client.get(reverse("sas:participation", args=["52"]), {"departement": "44"})
    assert response.status_code == 200
    page = response.text
    assert str(sas.member) in page and str(sas.other) not in page  # Sarthe filtered out
    rows = response.context["rows"]
    assert [r.hours_current for r in rows] == [2.0]
    response = client.get(reverse("sas:participation", args=["52"]), {"departement": "99<"})
    assert response.status_code == 200 and len(response.context["rows"]) == 2


def test_home_of_the_professional_shows_hours_this_week_and_next(client, sas):
    today = timezone.localdate()
    monday = sas_slots.week_start(today)
    add(sas.other, monday + timedelta(days=7), time(9), time(12, 30))
    client.force_login(account(Role.HEALTH_PROFESSIONAL, professional=sas.other.professional))
    response = client.get(reverse("home:home"))
    weeks = response.context["sas"]["weeks"]
    assert [(label, hours, below) for label, _, hours, below in weeks] == [
        ("Cette semaine", 0.0, True),
        ("Semaine prochaine", 3.5, False),
    ]
    assert "3,5" in response.text and "Mes créneaux SAS" in response.text
