"""The pseudonymised evaluation export: only consenting people, no direct identifier."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from interurps.accounts.models import Role
from interurps.reper.models import Person
from interurps.reper.monitoring import exports
from interurps.reper.tests import monitoring_data as data
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
URL = reverse("reper:evaluation_export", args=["52"])


@pytest.fixture
def world():
    return data.build_indicators()


def download(client, fmt="csv", **params):
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(URL, {"format": fmt, **params})
    assert response.status_code == 200
    return response


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def forbidden_strings():
    """Every direct identifier and every database pseudonym of the people stored."""
    values = []
    for person in Person.objects.all():
        values += [
            person.pseudonym,
            person.last_name,
            person.first_name,
            person.phone,
            person.email,
            person.address,
            person.treating_physician,
            person.birth_date.strftime("%d/%m/%Y"),
            person.birth_date.isoformat(),
        ]
    return [v for v in values if v]


def test_csv_holds_only_consenting_people_and_no_direct_identifier(client, world):
    response = download(client)
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header == exports.header()
    body = response.content.decode("utf-8")
    for value in forbidden_strings():
        assert value not in body, value
    # P1 (2 screenings) and P4 (1) consented to the evaluation; P2 consented to the
    # follow-up only; P3 withdrew.
    assert len(rows) == 3
    ids = [row[0] for row in rows]
    assert len(set(ids)) == 2 and all(i.startswith("EV-") for i in ids)
    assert ids[0] == exports.export_id("R-P1")
    assert "R-P1" not in exports.export_id("R-P1")
    first = dict(zip(header, rows[0], strict=True))
    assert first["Tranche d'âge au repérage"] == "75-79 ans"  # born 1946, screened in 2023: 77
    assert first["Sexe"] == "Femme"
    assert first["Mois du repérage"] == "2023-01"
    assert first["Département"] == "44"
    city_column = header[3]
    assert first[city_column] == data.CITY  # Nantes is large enough to be named
    assert first["Étape 1 : cognition positif"] == "oui"
    assert first["Étape 1 : vision positif"] == "non"
    assert first["Étape 2 cognition : statut"] == "Réalisée"
    assert first["Étape 2 cognition : outil"] == "MoCA"
    assert first["Étape 2 cognition : anormale"] == "oui"
    assert first["Étape 2 cognition : délai (jours)"] == "30"
    assert first["Étape 2 mobilité : délai (jours)"] == "60"
    assert first["Étape 2 vision : statut"] == ""
    p4 = dict(zip(header, rows[1], strict=True))
    assert p4["Tranche d'âge au repérage"] == "85-89 ans"  # born 1934: 89 in 2023
    # A cancelled assessment is not a step-2 result.
    assert p4["Étape 2 audition : statut"] == ""


def test_age_band_edges():
    assert exports.age_band(60) == "60-64 ans"
    assert exports.age_band(64) == "60-64 ans"
    assert exports.age_band(89) == "85-89 ans"
    assert exports.age_band(90) == "90 ans et plus"
    assert exports.age_band(104) == "90 ans et plus"


def test_small_communes_are_given_by_department_only(client, world):
    small = data.small_commune()
    person = data.make_person(
        "R-SMALL", world.cpts_a, age=70, today=data.dt.date(2026, 1, 1), commune=small
    )
    data.screen(person, world.nurse, data.dt.date(2023, 6, 1))
    header, *rows = csv_rows(download(client))
    (row,) = [
        dict(zip(header, r, strict=True)) for r in rows if r[0] == exports.export_id("R-SMALL")
    ]
    assert row[header[3]] == "" and row["Département"] == "44"
    assert small.code not in "".join(";".join(r) for r in rows)


def test_export_identifier_is_stable_and_keyed(settings):
    settings.REPER_EXPORT_KEY = "clé-une"
    first = exports.export_id("R-ABCDEF12")
    assert exports.export_id("R-ABCDEF12") == first
    settings.REPER_EXPORT_KEY = "clé-deux"
    assert exports.export_id("R-ABCDEF12") != first


def test_excel_has_the_same_rows(client, world):
    response = download(client, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == exports.header()
    assert len(values) == 4
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    for value in forbidden_strings():
        assert value not in flat, value


def test_filters_apply_to_the_export(client, world):
    _, *rows = csv_rows(download(client, cpts=world.cpts_b.pk))
    assert len(rows) == 1
    _, *rows = csv_rows(download(client, start="2023-06-01", end="2023-12-31"))
    assert len(rows) == 1  # P1's second screening


def test_who_may_export(client, world):
    for role in (Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF, Role.PARTNER):
        client.force_login(user_with_role(role))
        assert client.get(URL).status_code == 200, role
    for role in (Role.UNION_MEMBER, Role.HEALTH_PROFESSIONAL, Role.SAS_REGULATOR):
        client.force_login(user_with_role(role))
        assert client.get(URL, {"format": "csv"}).status_code == 403, role
    client.force_login(data.coordinator_user(world.cpts_a))
    assert client.get(URL, {"format": "csv"}).status_code == 403
    client.force_login(user_with_role(Role.PARTNER, "11"))
    assert client.get(URL, {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("extra", [0, 30])
def test_export_runs_a_bounded_number_of_queries(
    client, world, extra, django_assert_max_num_queries
):
    for n in range(extra):
        person = data.make_person(
            f"R-E{n:03d}", world.cpts_a, age=70, today=data.dt.date(2026, 1, 1)
        )
        s = data.screen(person, world.nurse, data.dt.date(2023, 5, 1), ("mood",))
        data.assess(s, "mood", due_on=data.dt.date(2023, 6, 1))
    client.force_login(user_with_role(Role.PARTNER))
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"format": "csv"})
    assert len(csv_rows(response)) == 1 + 3 + extra
