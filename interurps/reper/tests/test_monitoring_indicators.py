"""Indicators, computed by hand from the screenings of `monitoring_data.build_indicators`:

S1  P1 (A, nurse)      2023-01-10  cognition, mobility  step 2 done 2023-02-09 (30 d)
                                                        and 2023-03-11 (60 d)
S2  P2 (A, physician)  2023-01-20  vision               step 2 to do
S3  P3 (A, nurse)      2023-02-05  —
S4  P1 (A, nurse)      2023-07-10  mobility             step 2 done 2023-11-07 (120 d)
S5  P4 (B, physio)     2023-03-01  nutrition, hearing,  step 2 done the same day (0 d)
                                   mood
and, outside 2023: P2 on 2024-01-25, P3 on 2022-12-01.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.geography.models import Commune
from interurps.reper.monitoring import selectors
from interurps.reper.tests import monitoring_data as data
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

YEAR = {"start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)}
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def world():
    return data.build_indicators()


def test_counts_and_positivity(world):
    f = selectors.indicators("52", today=TODAY, **YEAR)
    assert (f.screenings, f.people) == (5, 4)
    assert f.positive_screenings == 4 and f.positive_share == 80.0
    assert {d: (n, share) for d, _, n, share in f.positivity} == {
        "cognition": (1, 20.0),
        "mobility": (2, 40.0),
        "nutrition": (1, 20.0),
        "vision": (1, 20.0),
        "hearing": (1, 20.0),
        "mood": (1, 20.0),
    }
    assert f.by_month == [
        (dt.date(2023, 1, 1), 2),
        (dt.date(2023, 2, 1), 1),
        (dt.date(2023, 3, 1), 1),
        (dt.date(2023, 7, 1), 1),
    ]
    assert f.by_profession == [
        ("Infirmiers", 3),
        ("Masseurs-kinésithérapeutes", 1),
        ("Médecins", 1),
    ]
    assert f.by_cpts == [("CPTS Alpha", 4), ("CPTS Bêta", 1)]
    assert f.by_professional == []  # names only for a coordinator's own CPTS


def test_step_two_share_and_delays(world):
    f = selectors.indicators("52", today=TODAY, **YEAR)
    # S1 (first done after 30 days), S4 (120), S5 (0); S2 still to do.
    assert (f.with_step2, f.step2_share) == (3, 75.0)
    assert f.delays == [0, 30, 120]
    assert f.delay_median == 30
    assert [(label, n) for label, n, _ in f.delay_bands] == [
        ("0 à 30 jours", 2),
        ("31 à 60 jours", 0),
        ("61 à 90 jours", 0),
        ("91 à 180 jours", 1),
        ("plus de 180 jours", 0),
    ]


def test_follow_up_at_six_and_twelve_months(world):
    f = selectors.indicators("52", today=TODAY, **YEAR)
    # First screenings of 2023: P1 01-10, P2 01-20, P3 02-05, P4 03-01, all observable.
    # 6 ± 1 months: P1 again on 07-10 (window 06-10 → 08-10): 1 of 4.
    # 12 ± 2 months: P2 again on 2024-01-25 (window 2023-11-20 → 2024-03-20): 1 of 4.
    assert [(m, n, k, s) for m, _, n, k, s in f.follow_up] == [(6, 4, 1, 25.0), (12, 4, 1, 25.0)]


def test_follow_up_counts_only_people_whose_window_is_over(world):
    f = selectors.indicators("52", today=dt.date(2023, 9, 1), **YEAR)
    # 6 months: P1 (window over on 08-10) and P2 (08-20) only; 12 months: nobody yet.
    assert [(m, n, k, s) for m, _, n, k, s in f.follow_up] == [(6, 2, 1, 50.0), (12, 0, 0, None)]


def test_filters_by_cpts_and_period(world):
    f = selectors.indicators("52", cpts=world.cpts_b, today=TODAY)
    assert (f.screenings, f.positive_share, f.step2_share) == (1, 100.0, 100.0)
    f = selectors.indicators("52", today=TODAY, start=dt.date(2023, 3, 1), end=dt.date(2023, 3, 31))
    assert f.screenings == 1
    everything = selectors.indicators("52", today=TODAY)
    assert everything.screenings == 7
    assert selectors.indicators("11", today=TODAY).screenings == 0


def test_a_coordinator_reads_their_professionals_by_name(world):
    f = selectors.indicators("52", today=TODAY, names_for_cpts=world.cpts_a, **YEAR)
    assert [(name, n) for name, _, n in f.by_professional] == [
        ("Dominique Infirmière", 3),
        ("Dominique Médecin", 1),
    ]


def test_people_per_commune_masks_small_counts(world):
    counts = {c.code: c for c in selectors.people_screened_by_commune("52", **YEAR)}
    assert counts[data.CITY].people == 2 and counts[data.CITY].masked
    assert counts[data.CITY].shown == "moins de 5"
    # Five more people screened in the city: shown.
    city = Commune.objects.get(code=data.CITY)
    for n in range(3):
        person = data.make_person(f"R-Q{n}", world.cpts_a, age=70, today=TODAY, commune=city)
        data.screen(person, world.nurse, dt.date(2023, 5, 1))
    counts = {c.code: c for c in selectors.people_screened_by_commune("52", **YEAR)}
    assert (counts[data.CITY].people, counts[data.CITY].masked) == (5, False)
    # Communes of the programme's territories without anyone screened are there, at 0.
    assert all(
        c.people == 0
        for code, c in counts.items()
        if code not in {data.CITY, world.people["p3"].commune_id, world.people["p4"].commune_id}
    )


# --- pages -------------------------------------------------------------------------------


def test_indicators_page_for_readers_of_aggregates(client, world):
    url = reverse("reper:indicators", args=["52"])
    for role in (
        Role.FEDERATION_ADMIN,
        Role.FEDERATION_STAFF,
        Role.UNION_MEMBER,
        Role.PARTNER,
        Role.HEALTH_PROFESSIONAL,
    ):
        client.force_login(user_with_role(role))
        response = client.get(url, {"start": "2023-01-01", "end": "2023-12-31"})
        assert response.status_code == 200, role
        text = response.text
        # Aggregates only: no pseudonym, no professional's name.
        assert "R-P1" not in text and "Infirmière" not in text, role
        assert response.context["figures"].screenings == 5
    client.force_login(user_with_role(Role.SAS_REGULATOR))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.PARTNER))
    assert client.get(reverse("reper:indicators", args=["11"])).status_code == 403


def test_coordinator_sees_own_professionals_names(client, world):
    client.force_login(data.coordinator_user(world.cpts_a))
    response = client.get(reverse("reper:indicators", args=["52"]))
    assert "Dominique Infirmière" in response.text
    assert "Kiné" not in response.text  # CPTS B's professional


def test_bad_filters_fall_back_without_error(client, world):
    client.force_login(user_with_role(Role.PARTNER))
    url = reverse("reper:indicators", args=["52"])
    response = client.get(url, {"start": "2023-12-31", "end": "2023-01-01", "cpts": "x\x00"})
    assert response.status_code in (200, 400)
    response = client.get(url, {"start": "2023-12-31", "end": "2023-01-01"})
    assert "La fin de la période précède son début." in response.text
    assert response.context["figures"].screenings == 7  # the whole history


def test_map_geojson_masks_small_counts(client, world):
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(reverse("reper:indicators_map", args=["52"]), YEAR_QUERY)
    assert response.status_code == 200
    collection = json.loads(response.content)
    by_code = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert by_code[data.CITY]["detail"] == "moins de 5 personnes repérées"
    body = response.content.decode()
    assert "2 personnes" not in body and "R-P" not in body
    client.force_login(user_with_role(Role.SAS_REGULATOR))
    assert client.get(reverse("reper:indicators_map", args=["52"])).status_code == 403


YEAR_QUERY = {"start": "2023-01-01", "end": "2023-12-31"}


def test_annual_report_has_the_reper_section(client, world):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(reverse("reports:report", args=["52", 2023]))
    assert response.status_code == 200
    figures = response.context["report"].reper
    assert (figures.screenings, figures.step2_share) == (5, 75.0)
    assert 'id="reper"' in response.text


@pytest.mark.parametrize("extra", [0, 30])
def test_indicator_pages_run_a_bounded_number_of_queries(
    client, world, extra, django_assert_max_num_queries
):
    for n in range(extra):
        person = data.make_person(f"R-Z{n:03d}", world.cpts_a, age=65, today=TODAY)
        s = data.screen(person, world.nurse, dt.date(2023, 1 + n % 6, 3), ("mood",))
        data.assess(
            s, "mood", due_on=dt.date(2024, 1, 1), status="done", done_on=dt.date(2024, 1, 1)
        )
        data.screen(person, world.physician, dt.date(2023, 1 + n % 6, 3) + dt.timedelta(days=150))
    client.force_login(data.coordinator_user(world.cpts_a))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reper:indicators", args=["52"]), YEAR_QUERY)
    assert response.context["figures"].screenings == 5 + 2 * extra
    with django_assert_max_num_queries(12):
        client.get(reverse("reper:indicators_map", args=["52"]), YEAR_QUERY)
