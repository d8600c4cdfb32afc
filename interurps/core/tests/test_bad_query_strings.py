"""Malformed query-string values never give a server error (SQLite and PostgreSQL).

Links can be edited by anyone: non-numeric ids, integers beyond 64 bits, NUL bytes,
digits that are not ASCII ("²"), out-of-range dates and years must give the page (with the
default) or a 404/400, never a 500.
"""

from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "abc",
    "99999999999999999999999",
    "-1",
    "\x00",
    "1\x002",
    "²",
    "٣",  # an Arabic-Indic digit: isdigit() but not ASCII
    "9999",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "nan",
    "x" * 5000,
]

# (url name, kwargs, query parameters the view reads)
VIEWS = [
    ("home:home", {}, ["region", "espace"]),
    (
        "activities:meeting_list",
        {"region_code": "52"},
        ["annee", "projet_filtre", "type", "projet"],
    ),
    ("activities:activity_counts", {"region_code": "52"}, ["annee", "du", "au", "par", "projet"]),
    ("activities:calendar", {"region_code": "52"}, ["date", "vue", "categorie"]),
    ("events:event_list", {"region_code": "52"}, ["type", "annee"]),
    ("cpom:federation_cpom", {"region_code": "52"}, ["annee"]),
    ("cpom:funding_line_create", {"region_code": "52"}, ["cpom", "annee"]),
    ("professionals:list", {}, ["q", "profession", "retraites", "page"]),
    ("geography:commune_list", {}, ["q", "page"]),
    ("geography:department_detail", {"code": "53"}, ["q", "page"]),
    ("cpts:commune_lookup", {}, ["q"]),
    ("cpts:list", {"region_code": "52"}, ["q", "etape", "departement"]),
    ("cpts:region_coverage", {"code": "52"}, ["format"]),
    ("cpts:import", {"region_code": "52"}, ["modele"]),
    (
        "diagnostics:territory",
        {},
        ["cpts", "departement", "region", "epci", "codes", "label", "profession", "threshold"],
    ),
]

CASES = [
    pytest.param(name, kwargs, param, value, id=f"{name}-{param}-{index}")
    for name, kwargs, params in VIEWS
    for param in params
    for index, value in enumerate(BAD_VALUES)
]


@pytest.mark.parametrize(("name", "kwargs", "param", "value"), CASES)
def test_bad_query_value_is_never_a_server_error(client, name, kwargs, param, value):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.get(reverse(name, kwargs=kwargs), {param: value})
    assert response.status_code in (200, 302, 400, 404), response.status_code


@pytest.mark.parametrize(
    ("param", "value"),
    [("annee", "9999"), ("annee", "²"), ("du", "9999-12-31"), ("au", "0001-01-01")],
)
def test_counts_with_a_bad_period_fall_back_to_the_current_year(client, param, value):
    from django.utils import timezone

    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(reverse("activities:activity_counts", args=["52"]), {param: value})
    assert response.status_code == 200
    assert response.context["period_label"] == f"en {timezone.localdate().year}"


def test_calendar_with_an_out_of_range_date_opens_on_today(client):
    from django.utils import timezone

    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(reverse("activities:calendar", args=["52"]), {"date": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()


def test_calendar_at_the_edges_of_the_range(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    for day in ("2100-12-31", "1900-01-01"):
        for view in ("mois", "semaine", "liste"):
            response = client.get(
                reverse("activities:calendar", args=["52"]), {"date": day, "vue": view}
            )
            assert response.status_code == 200


@pytest.mark.parametrize("value", ["abc", "\x00", str(2**64), "²"])
def test_bad_posted_toggle_or_kind_is_never_a_server_error(client, value):
    from interurps.cpts import services
    from interurps.geography.models import Department, Region

    admin = user_with_role(Role.FEDERATION_ADMIN)
    client.force_login(admin)
    response = client.post(reverse("activities:meeting_kinds", args=["52"]), {"toggle": value})
    assert response.status_code in (302, 400, 404)
    cpts = services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS test",
        main_department=Department.objects.get(code="53"),
        by=admin,
        started_on=date(2020, 1, 6),
    )
    response = client.post(reverse("cpts:mission", args=[cpts.pk]), {"kind": value})
    assert response.status_code in (200, 302, 400, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/federations/%00/reunions/",
        "/federations/52%00/calendrier/",
        "/geographie/departements/%00/",
        "/geographie/communes/%00/",
        "/calendrier/%00.ics",
        "/regions/%00/couverture/",
        "/inscription/%00/",
    ],
)
def test_nul_bytes_in_the_path_are_refused_with_400(client, path):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.get(path)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_nul_bytes_in_the_query_string_and_cookies_are_refused(client):
    assert client.get("/geographie/communes/", {"q": "a\x00"}).status_code == 400
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400


def test_the_nul_byte_guard_comes_first_in_the_real_configuration():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "interurps.core.middleware.RejectNulBytesMiddleware"
