"""SAS indicators pages: who reads them, what partners see, exports' content, bad input,
the map's GeoJSON, effectors' statements, the menu and the annual report."""

import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from interurps.accounts.models import Role, RoleAssignment
from interurps.activities.models import Meeting, MeetingKind
from interurps.cpts.models import Cpts
from interurps.geography.models import Department
from interurps.organizations.models import Federation
from interurps.sas.tests import indicators_data as d
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = "/sas/indicateurs/52/"
PERIOD = "?du=2026-03-02&au=2026-03-15"


@pytest.fixture
def data():
    a = d.effector(last_name="Alpha")
    b = d.effector(last_name="Bravo")
    d.slot(a, d.at(2026, 3, 2, 9), 90, booked=1)
    d.slot(b, d.at(2026, 3, 4, 14), 120, capacity=2)
    r1 = d.care_request(d.at(2026, 3, 2, 8))
    d.appointment(a, d.at(2026, 3, 4, 8), request=r1)
    d.care_request(d.at(2026, 3, 3, 8), outcome="advice")
    return {"a": a, "b": b}


def client_for(client, role, region_code="52"):
    client.force_login(user_with_role(role, region_code))
    return client


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.FEDERATION_ADMIN, 200),
        (Role.FEDERATION_STAFF, 200),
        (Role.UNION_MEMBER, 200),
        (Role.CPTS_COORDINATOR, 200),
        (Role.PARTNER, 200),
        (Role.SAS_REGULATOR, 200),
        (Role.HEALTH_PROFESSIONAL, 403),
    ],
)
def test_who_reads_the_indicators(client, data, role, status):
    assert client_for(client, role).get(URL + PERIOD).status_code == status


def test_another_regions_staff_is_refused(client, data):
    assert client_for(client, Role.FEDERATION_STAFF, "11").get(URL).status_code == 403


def test_unknown_region_is_404(client):
    assert client_for(client, Role.FEDERATION_STAFF).get("/sas/indicateurs/99/").status_code == 404


def test_staff_see_effectors_names_and_figures(client, data):
    page = client_for(client, Role.FEDERATION_STAFF).get(URL + PERIOD).content.decode()
    assert "Camille Alpha" in page and "Camille Bravo" in page
    assert 'data-testid="total-hours">3,5' in page  # 1 h 30 + 2 h
    assert 'data-testid="within-48h">50' in page  # 1 of 2 closed requests


def test_partners_and_elected_members_see_aggregates_without_names(client, data):
    for role in (Role.PARTNER, Role.UNION_MEMBER, Role.CPTS_COORDINATOR):
        client.logout()
        page = client_for(client, role).get(URL + PERIOD).content.decode()
        assert "Alpha" not in page and "Bravo" not in page, role
        assert "moins de 2 h" in page
        assert 'data-testid="total-hours">3,5' in page


def test_csv_export_is_french(client, data):
    c = client_for(client, Role.FEDERATION_STAFF)
    response = c.get(URL + PERIOD + "&format=csv&tableau=effecteurs")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffEffecteur;Mode de participation;Heures partagées")
    assert "Camille Alpha;Exercice individuel;1,5;0,75;0\r\n" in text
    assert "Camille Bravo;Exercice individuel;2;1;1\r\n" in text  # exactly 2 h in week 10
    summary = c.get(URL + PERIOD + "&format=csv").content.decode("utf-8")
    assert "Demandes de soins;Part dans les 48 heures (%);50\r\n" in summary
    assert "Créneaux;Heures de disponibilité partagées;3,5\r\n" in summary


def test_partner_exports_have_no_names(client, data):
    c = client_for(client, Role.PARTNER)
    text = c.get(URL + PERIOD + "&format=csv&tableau=effecteurs").content.decode()
    assert text.startswith("\ufeffRubrique;Indicateur;Valeur")  # the summary instead
    workbook = load_workbook(io.BytesIO(c.get(URL + PERIOD + "&format=xlsx").content))
    assert "Effecteurs" not in workbook.sheetnames
    assert "Participation" in workbook.sheetnames
    assert all(
        "Alpha" not in str(cell) for sheet in workbook for row in sheet.values for cell in row
    )


def test_xlsx_export_has_real_numbers(client, data):
    c = client_for(client, Role.FEDERATION_STAFF)
    workbook = load_workbook(io.BytesIO(c.get(URL + PERIOD + "&format=xlsx").content))
    weeks = list(workbook["Semaines"].values)
    assert weeks[0][:3] == ("Semaine", "Lundi", "Heures partagées")
    assert weeks[1][0] == "S10 2026" and weeks[1][2] == 3.5
    effectors = list(workbook["Effecteurs"].values)
    assert effectors[1:] == [
        ("Camille Bravo", "Exercice individuel", 2, 1, 1),
        ("Camille Alpha", "Exercice individuel", 1.5, 0.75, 0),
    ]


@pytest.mark.parametrize(
    "query, message",
    [
        ("?du=pas-une-date", "Saisissez une date valide"),
        ("?mois=2026-13", "Mois invalide"),
        ("?du=2026-03-10&au=2026-03-01", "La fin de la période précède son début"),
        ("?du=2020-01-01&au=2026-01-01", "ne peut pas dépasser deux ans"),
        ("?departement=99", "Sélectionnez un choix valide"),
        ("carte/?rayon=0", "supérieure ou égale à 1"),
        ("carte/?rayon=mille", "Saisissez un nombre"),
    ],
)
def test_bad_filters_say_what_is_wrong(client, query, message):
    response = client_for(client, Role.FEDERATION_STAFF).get(URL + query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_nul_bytes_never_reach_the_database(client):
    response = client_for(client, Role.FEDERATION_STAFF).get(URL + "?cpts=%00&departement=4%004")
    assert response.status_code in (200, 400)


def test_month_and_department_filters(client, data):
    c = client_for(client, Role.FEDERATION_STAFF)
    page = c.get(URL + "?mois=2026-03&departement=72").content.decode()
    assert "Sarthe" in page and 'data-testid="total-hours">0' in page
    page = c.get(URL + "?mois=2026-03").content.decode()
    # March 2026 widened to whole ISO weeks: Monday 23 February to Sunday 5 April.
    assert "lundi 23 février 2026" in page and "dimanche 5 avril 2026" in page


def test_cpts_filter(client, data):
    cpts = Cpts.objects.create(
        region=d.region(), name="CPTS filtrée", main_department=Department.objects.get(code="44")
    )
    member = d.effector(last_name="Membre", through=d.cpts_structure(cpts))
    d.slot(member, d.at(2026, 3, 3, 9), 30)
    page = client_for(client, Role.FEDERATION_STAFF).get(URL + PERIOD + f"&cpts={cpts.pk}")
    assert 'data-testid="total-hours">0,5' in page.content.decode()


def test_dashboard_queries_do_not_grow_with_rows(client):
    c = client_for(client, Role.FEDERATION_STAFF)

    def count(n):
        for i in range(n):
            e = d.effector()
            d.slot(e, d.at(2026, 3, 2, 9) + timedelta(days=i % 12), 60)
            d.appointment(e, d.at(2026, 3, 4, 8), request=d.care_request(d.at(2026, 3, 3, 8)))
        with CaptureQueriesContext(connection) as context:
            assert c.get(URL + PERIOD).status_code == 200
        return len(context.captured_queries)

    assert count(2) == count(20)


def test_map_page_and_geojson(client, data):
    c = client_for(client, Role.PARTNER)
    page = c.get(URL + "carte/" + PERIOD + "&departement=44").content.decode()
    assert "data-map-url=" in page and "Zones blanches" in page
    url = reverse("sas:indicators_geojson", args=["52"]) + PERIOD + "&departement=44"
    response = c.get(url)
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    nantes = next(f for f in collection["features"] if f["properties"]["code"] == "44109")
    assert nantes["properties"]["label"].startswith("Nantes (44109) : 2 demandes, 3,5 h")
    # Aggregates only: no effector, no care request in the map.
    assert "Alpha" not in response.content.decode()


def test_map_refuses_health_professionals(client, data):
    c = client_for(client, Role.HEALTH_PROFESSIONAL)
    assert c.get(URL + "carte/").status_code == 403
    assert c.get(URL + "carte.geojson").status_code == 403


# --- statements ----------------------------------------------------------------------


def _statement_url(effector, month="2026-03", fmt=""):
    url = reverse("sas:effector_statement", args=[effector.pk]) + f"?mois={month}"
    return url + (f"&format={fmt}" if fmt else "")


def test_the_effector_reads_their_statement_another_professional_does_not(client, data):
    own = user_with_role(Role.HEALTH_PROFESSIONAL)
    RoleAssignment.objects.filter(user=own).update(professional=data["a"].professional)
    client.force_login(own)
    response = client.get(_statement_url(data["a"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="paid-acts">1<' in page and "15 €" in page
    assert "non confirmé" in page
    assert client.get(_statement_url(data["b"])).status_code == 403


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.FEDERATION_STAFF, 200),
        (Role.FEDERATION_ADMIN, 200),
        (Role.SAS_REGULATOR, 200),
        (Role.PARTNER, 403),
        (Role.UNION_MEMBER, 403),
        (Role.CPTS_COORDINATOR, 403),
    ],
)
def test_who_reads_a_statement(client, data, role, status):
    assert client_for(client, role).get(_statement_url(data["a"])).status_code == status


def test_the_coordinator_of_the_effectors_cpts_reads_the_statement(client):
    cpts = Cpts.objects.create(
        region=d.region(), name="CPTS du relevé", main_department=Department.objects.get(code="44")
    )
    member = d.effector(through=d.cpts_structure(cpts))
    coordinator = user_with_role(Role.CPTS_COORDINATOR)
    RoleAssignment.objects.filter(user=coordinator).update(cpts=cpts)
    client.force_login(coordinator)
    assert client.get(_statement_url(member)).status_code == 200


def test_statement_exports(client, data):
    c = client_for(client, Role.FEDERATION_STAFF)
    text = c.get(_statement_url(data["a"], fmt="csv")).content.decode()
    assert text.startswith("\ufeffSemaine;Du;Au;Actes")
    assert "Semaine 10 de 2026;01/03/2026" not in text  # week 10 starts in March
    assert "Semaine 10 de 2026;02/03/2026;08/03/2026;1;1;1;0;15,00;1,5;non" in text
    pdf = c.get(_statement_url(data["a"], fmt="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_statement_bad_month_falls_back_to_the_current_one(client, data):
    c = client_for(client, Role.FEDERATION_STAFF)
    response = c.get(_statement_url(data["a"], month="2026-99"))
    assert response.status_code == 200
    assert timezone.localdate().strftime("%Y-%m") in response.content.decode()
    assert c.get(_statement_url(data["a"], fmt="docx")).status_code == 404


# --- menu and report -----------------------------------------------------------------


def test_menu_entries(client, data):
    c = client_for(client, Role.PARTNER)
    assert "SAS – indicateurs" in c.get("/").content.decode()
    client.logout()
    own = user_with_role(Role.HEALTH_PROFESSIONAL)
    RoleAssignment.objects.filter(user=own).update(professional=data["a"].professional)
    client.force_login(own)
    page = client.get("/").content.decode()
    assert "SAS – indicateurs" not in page and "Mon relevé SAS" in page


def test_annual_report_shows_sas_figures_next_to_sas_meetings(client, data):
    federation = Federation.objects.get(region_id="52")
    kind = MeetingKind.objects.filter(federation=federation).first() or MeetingKind.objects.create(
        federation=federation, name="Comité SAS"
    )
    Meeting.objects.create(
        federation=federation,
        title="Comité de suivi SAS",
        starts_at=d.at(2026, 3, 5, 14),
        kind=kind,
        project="sas",
    )
    c = client_for(client, Role.PARTNER)
    page = c.get(reverse("reports:report", args=["52", 2026])).content.decode()
    sas = page[page.index("accès aux soins (SAS)") :]
    sas = sas[: sas.index("</section>")]
    assert "1</strong> réunion" in sas
    assert 'data-testid="sas-hours">4' in sas  # 3.5 h rounded
    assert "Demandes de soins reçues par la régulation" in sas
