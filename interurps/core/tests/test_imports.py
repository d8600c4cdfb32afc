"""Uploaded files: every refusal is French and names the line and the column."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.core import imports
from interurps.core.dates import OUT_OF_RANGE_MESSAGE
from interurps.elections.results_csv import parse_results
from tests.factories import user_with_role

HEADER = "liste;syndicat;voix;rang;candidat;date_naissance\r\n"
GOOD_LINE = "Liste A;Syndicat A;120;1;Anne Martin;01/02/1970\r\n"


def test_utf16_with_bom_is_decoded_without_mojibake():
    content = (HEADER + "Liste é;Syndicat;120;1;Élodie Durand;\r\n").encode("utf-16")
    parsed = parse_results(content)
    assert parsed.errors == []
    assert parsed.lists[0].name == "Liste é"
    assert parsed.lists[0].candidates[0].full_name == "Élodie Durand"


def test_windows_1252_is_still_read():
    parsed = parse_results((HEADER + "Liste é;;120;1;Élodie;\r\n").encode("cp1252"))
    assert parsed.lists[0].candidates[0].full_name == "Élodie"


def test_undecodable_bytes_name_the_line():
    content = (HEADER + GOOD_LINE).encode() + b"Liste \x81\x8d;;1;1;X;\r\n"
    assert parse_results(content).errors == [
        "Ligne 3 : octets illisibles ; le fichier doit être en UTF-8 "
        "(enregistrez-le en « CSV UTF-8 »)."
    ]


def test_nul_bytes_are_refused_naming_the_line():
    content = (HEADER + GOOD_LINE).encode() + b"Liste\x00;;1;1;X;\r\n"
    assert parse_results(content).errors[0].startswith("Ligne 3 : le fichier contient des")


def test_unknown_columns_are_refused_by_name():
    errors = parse_results(b"liste;voix;rang;candidat;remarque\r\nA;1;1;X;\r\n").errors
    assert "colonne(s) inconnue(s) : « remarque »" in errors[0]


def test_values_beyond_the_header_name_the_line():
    errors = parse_results((HEADER + "A;S;1;1;X;;en trop\r\n").encode()).errors
    assert errors == [
        "Ligne 2 : 1 valeur(s) au-delà des 6 colonnes de l'en-tête (un séparateur en trop ?)."
    ]


def test_over_long_fields_name_line_column_and_maximum():
    errors = parse_results((HEADER + f"{'L' * 250};S;1;1;X;\r\n").encode()).errors
    assert errors == ["Ligne 2, colonne « liste » : 250 caractères, 200 au plus."]


@pytest.mark.parametrize("votes", [str(2**63), str(2**64 + 1), "9" * 30, "1e9", "NaN"])
def test_numbers_beyond_64_bits_or_not_integers_name_line_and_column(votes):
    errors = parse_results((HEADER + f"A;S;{votes};1;X;\r\n").encode()).errors
    assert len(errors) == 1
    assert errors[0].startswith("Ligne 2, colonne « voix » :")


def test_out_of_range_birth_date_is_refused():
    errors = parse_results((HEADER + "A;S;1;1;X;31/12/9999\r\n").encode()).errors
    assert errors == [f"Ligne 2, colonne « date_naissance » : {OUT_OF_RANGE_MESSAGE}"]


def test_unterminated_quote_names_the_line():
    errors = parse_results((HEADER + GOOD_LINE + 'B;"S;1;1;X;\r\n').encode()).errors
    assert errors and errors[0].startswith("Ligne 3 : ligne CSV mal formée")


def test_a_50_megabyte_file_is_refused_before_reading():
    with pytest.raises(imports.FileRefused, match=r"50,0 Mo : 10 Mo au plus\.$"):
        imports.check_size(b"x" * (50 * 1024 * 1024))


def test_more_rows_than_the_cap_are_refused():
    import itertools

    rows = ((n, ["A", "1"]) for n in range(2, 10**9))  # an endless file, read lazily
    lines = itertools.chain([(1, ["a", "b"])], rows)
    with pytest.raises(imports.FileRefused, match="plus de 10"):
        imports.read_table(lines, columns={"a": None, "b": None}, required=("a",))


# --- Excel -----------------------------------------------------------------------------


def _xlsx(rows, *, dimension=None, entity=False) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if entity:
                    bomb = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    text = bomb + text.replace("<t>A</t>", "<t>&b;</t>", 1)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_excel_declaring_a_huge_dimension_is_read_lazily():
    content = _xlsx([["nom", "valeur"], ["A", 1]], dimension="A1:XFD1048576")
    lines = list(imports.xlsx_lines(content))
    assert lines == [(1, ["nom", "valeur"]), (2, ["A", 1])]


def test_excel_with_too_many_columns_is_refused():
    content = _xlsx([[f"c{i}" for i in range(60)]])
    lines = imports.xlsx_lines(content)
    with pytest.raises(imports.FileRefused, match="plus de 50 colonnes"):
        imports.read_table(lines, columns={"c0": None}, required=("c0",))


def test_excel_entity_bomb_is_refused_with_a_french_message():
    content = _xlsx([["nom", "valeur"], ["A", 1]], entity=True)
    with pytest.raises(imports.FileRefused, match="déclarations XML interdites"):
        list(imports.xlsx_lines(content))


@pytest.mark.django_db
def test_cpts_import_refuses_the_entity_bomb_on_the_page(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    content = _xlsx([["nom", "departement", "codes_insee"], ["CPTS", "53", 1]], entity=True)
    response = client.post(
        reverse("cpts:import", args=["52"]),
        {"file": SimpleUploadedFile("cpts.xlsx", content)},
    )
    assert response.status_code == 200
    assert "déclarations XML interdites" in response.content.decode()


# --- ICS ---------------------------------------------------------------------------------


def _ics(body: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\n"
        "BEGIN:VEVENT\r\nUID:1\r\nDTSTART:20260105T100000\r\nSUMMARY:Bonne\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:2\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "DTSTART:20260101T100000\r\nDTSTART:20260102T100000\r\nSUMMARY:X\r\n",
            "DTSTART figure plusieurs fois",
        ),
        (
            "DTSTART;VALUE=DATE:20260101\r\nDTEND:20260101T110000\r\nSUMMARY:X\r\n",
            "mélangent une date (journée entière) et une date-heure",
        ),
        ("DTSTART:99991231T100000\r\nSUMMARY:X\r\n", OUT_OF_RANGE_MESSAGE),
        ("DTSTART:hello\r\nSUMMARY:X\r\n", "DTSTART illisible"),
        ("SUMMARY:X\r\n", "date de début (DTSTART) manquante"),
        (
            "DTSTART:20260101T100000\r\nDTEND:20251231T100000\r\nSUMMARY:X\r\n",
            "la fin (DTEND) précède le début",
        ),
        (f"DTSTART:20260101T100000\r\nSUMMARY:{'x' * 300}\r\n", "300 caractères, 200 au plus"),
    ],
)
def test_ics_problems_name_the_event_and_its_line(body, expected):
    from interurps.activities import services
    from interurps.organizations.models import Federation

    federation = Federation.objects.get(region_id="52")
    kind = services.meeting_kinds_ensure(federation=federation)[0]
    report = services.read_meetings_ics(_ics(body), kind=kind, project="sas")
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Événement n° 2 (ligne 9) : ")
    assert expected in report.errors[0]
    assert not report.is_valid  # all or nothing: the good event is not imported alone


@pytest.mark.django_db
def test_meetings_csv_with_a_huge_duration_names_line_and_column(client):
    from interurps.activities.models import Meeting

    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    csv_text = (
        "date;heure;duree;type;projet;objet\r\n"
        "05/01/2026;10:00;60;ARS;SAS;Première\r\n"
        f"06/01/2026;10:00;{2**64};ARS;SAS;Seconde\r\n"
    )
    response = client.post(
        reverse("activities:meeting_import", args=["52"]),
        {"file": SimpleUploadedFile("r.csv", csv_text.encode())},
    )
    assert response.status_code == 200
    assert "Ligne 3, colonne «\u202fduree\u202f»" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_import_cpts_command_refuses_a_50_megabyte_file_before_reading_it(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "cpts.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(CommandError, match=r"cpts\.csv pèse 50,0 Mo : 10 Mo au plus\.$"):
        call_command("import_cpts", path, "--region", "52")
