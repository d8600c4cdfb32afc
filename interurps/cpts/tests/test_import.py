"""Bulk import of CPTS: reading, line checks, all-or-nothing import, command and view."""

import csv
import io
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from interurps.accounts.models import Role
from interurps.cpts import importer, rules, services
from interurps.cpts.models import Cpts, StageTransition
from interurps.cpts.views_import import SESSION_KEY, cpts_import
from interurps.geography.models import Commune, Region
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HEADER = ["nom", "departement", "etape", "date_etape", "forme_juridique", "siret", "codes_insee"]


# --- helpers ------------------------------------------------------------------------


def csv_bytes(rows, header=HEADER, delimiter=";", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def region():
    return Region.objects.get(code="52")


@pytest.fixture
def codes():
    """Real INSEE codes of Mayenne, the most populated first (Laval, 53130, among them)."""
    found = list(
        Commune.objects.filter(department_id="53", kind=Commune.Kind.COMMUNE)
        .order_by("-population", "code")
        .values_list("code", flat=True)[:8]
    )
    assert len(found) == 8 and "53130" in found
    return found


@pytest.fixture
def staff():
    return user_with_role(Role.FEDERATION_STAFF)


@pytest.fixture
def valid_rows(codes):
    return [
        ["CPTS du Pays de Laval", "53", "", "", "association", "", f"{codes[0]} {codes[1]}"],
        [
            "CPTS Nord Mayenne",
            "53",
            "Contrat ACI signé",
            "15/03/2023",
            "association",
            "123 456 789 00012",
            f"{codes[2]},{codes[3]}",
        ],
        ["CPTS Sud Mayenne", "53", "suspendue", "2024-02-01", "", "", f"{codes[4]}|{codes[5]}"],
    ]


def report_for(name, content, region):
    return importer.validate_file(name, content, region=region)


def population_of(codes_):
    return sum(c.population or 0 for c in Commune.objects.filter(code__in=codes_))


# --- reading ------------------------------------------------------------------------


def test_read_rows_csv_with_bom_comma_and_accented_headers():
    content = csv_bytes(
        [["CPTS A", "53", "53130"], [], ["CPTS B", "53", "53062"]],
        header=["Nom", "Département", "Codes INSEE"],
        delimiter=",",
        bom=True,
    )
    rows = importer.read_rows("cpts.CSV", content)
    assert [(r["_line"], r["nom"], r["departement"], r["codes_insee"]) for r in rows] == [
        (2, "CPTS A", "53", "53130"),
        (4, "CPTS B", "53", "53062"),  # the blank line 3 is skipped, numbering kept
    ]
    assert rows[0]["etape"] == ""


def test_read_rows_xlsx_turns_numbers_and_dates_into_text():
    content = xlsx_bytes(
        [["CPTS A", 53, "emergence", date(2024, 1, 15), None, 12345678901234, 53130]]
    )
    [row] = importer.read_rows("cpts.xlsx", content)
    assert row["departement"] == "53"
    assert row["date_etape"] == "2024-01-15"
    assert row["siret"] == "12345678901234"
    assert row["codes_insee"] == "53130"
    assert row["_line"] == 2


def test_read_rows_names_unknown_and_missing_columns():
    content = csv_bytes([["CPTS A", "53", "bleu"]], header=["nom", "departement", "couleur"])
    with pytest.raises(importer.ImportFileError) as exc:
        importer.read_rows("cpts.csv", content)
    message = str(exc.value)
    assert "colonne inconnue : couleur" in message
    assert "colonne obligatoire manquante : codes_insee" in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("cpts.xls", b"whatever", "envoyez un fichier .csv ou .xlsx"),
        ("cpts.xlsx", b"not a zip", "Le fichier Excel n'a pas pu être lu"),
        ("cpts.csv", b"", "La première ligne du fichier doit contenir les en-têtes"),
    ],
)
def test_read_rows_refuses_unreadable_files(name, content, expected):
    with pytest.raises(importer.ImportFileError, match=expected):
        importer.read_rows(name, content)


def test_header_only_file_is_a_file_error(region):
    report = report_for("cpts.csv", csv_bytes([]), region)
    assert not report.is_valid
    assert report.file_errors == ["Le fichier ne contient aucune ligne de données."]


# --- valid file: dry run, then import ---------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_valid_file_dry_run_writes_nothing_and_import_creates_everything(
    kind, region, staff, valid_rows, codes
):
    content = csv_bytes(valid_rows) if kind == "csv" else xlsx_bytes(valid_rows)
    before = Cpts.objects.count()

    report = report_for(f"cpts.{kind}", content, region)

    assert report.is_valid, [e for r in report.rows for e in r.errors]
    assert [r.line for r in report.rows] == [2, 3, 4]
    assert Cpts.objects.count() == before
    assert StageTransition.objects.filter(cpts__region=region).count() == 0

    created = importer.import_cpts(report, region=region, by=staff)

    assert Cpts.objects.count() == before + 3
    laval, north, south = created
    today = timezone.localdate()

    assert laval.stage == rules.Stage.EMERGENCE
    assert laval.legal_form == Cpts.LegalForm.ASSOCIATION
    assert [(t.stage, t.occurred_on) for t in laval.transitions.all()] == [("emergence", today)]
    assert set(laval.communes.values_list("code", flat=True)) == {codes[0], codes[1]}
    assert laval.population == population_of(codes[:2]) > 0
    assert laval.geometry

    signed_on = date(2023, 3, 15)
    assert north.stage == rules.Stage.ACI_SIGNED
    assert north.aci_signed_on == signed_on
    assert north.siret == "12345678900012"
    history = list(north.transitions.all())
    assert [t.stage for t in history] == [s.value for s in rules.PATH[:7]]
    assert {t.occurred_on for t in history} == {signed_on}
    assert all(t.recorded_by == staff for t in history)
    assert set(north.communes.values_list("code", flat=True)) == {codes[2], codes[3]}
    assert north.population == population_of(codes[2:4])

    assert south.stage == rules.Stage.SUSPENDED
    assert [t.stage for t in south.transitions.all()] == ["emergence", "suspendue"]
    assert south.main_department_id == "53"


def test_stage_labels_codes_and_padding_are_understood(region, codes):
    rows = [["CPTS A", "53", "Lettre d'intention déposée", "", "", "", " ; ".join(codes[:2])]]
    [row] = report_for("cpts.csv", csv_bytes(rows), region).rows
    assert row.errors == []
    assert row.values["stage"] == rules.Stage.LETTER_SUBMITTED
    assert row.values["codes"] == codes[:2]


# --- bad lines ----------------------------------------------------------------------

FUTURE = (timezone.localdate() + timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        (["CPTS Erreur", "53", "", "", "", "", "99999"], "Code INSEE inconnu : 99999"),
        (
            ["CPTS Erreur", "99", "", "", "", "", "{code}"],
            "département 99 inconnu ou hors de la région Pays de la Loire",
        ),
        (
            ["CPTS Erreur", "35", "", "", "", "", "{code}"],
            "département 35 inconnu ou hors de la région Pays de la Loire",
        ),
        (
            ["CPTS du Pays de Laval", "53", "", "", "", "", "{code}"],
            "le nom « CPTS du Pays de Laval » figure déjà à la ligne 2",
        ),
        (["CPTS Erreur", "53", "", "", "", "1234", "{code}"], "SIRET « 1234 » invalide"),
        (["CPTS Erreur", "53", "", FUTURE, "", "", "{code}"], "est dans le futur"),
        (["CPTS Erreur", "53", "", "31/02/2024", "", "", "{code}"], "illisible"),
        (["CPTS Erreur", "53", "fusionnee", "", "", "", "{code}"], "étape « fusionnee » inconnue"),
        (["CPTS Erreur", "53", "", "", "sarl", "", "{code}"], "forme juridique « sarl »"),
        (["CPTS Erreur", "53", "", "", "", "", ""], "aucun code INSEE"),
        (["", "53", "", "", "", "", "{code}"], "nom de la CPTS manquant"),
    ],
)
def test_one_bad_line_blocks_the_whole_import(region, staff, codes, bad_line, expected):
    good = ["CPTS du Pays de Laval", "53", "", "", "", "", codes[0]]
    bad = [cell.replace("{code}", codes[6]) for cell in bad_line]
    content = csv_bytes([good, bad])
    before = Cpts.objects.count()

    report = report_for("cpts.csv", content, region)

    assert not report.is_valid
    assert report.rows[0].errors == []
    assert report.error_count == 1
    assert any(e.startswith("Ligne 3 : ") and expected in e for e in report.rows[1].errors), (
        report.rows[1].errors
    )
    with pytest.raises(ValueError):
        importer.import_cpts(report, region=region, by=staff)
    assert Cpts.objects.count() == before


def test_existing_cpts_and_bad_rna_are_errors(region, staff, codes):
    services.cpts_create(
        region=region,
        name="CPTS du Pays de Laval",
        main_department=region.departments.get(code="53"),
        by=staff,
    )
    rows = [
        ["CPTS du pays de laval", "53", codes[0]],
    ]
    header = ["nom", "departement", "codes_insee"]
    report = report_for("cpts.csv", csv_bytes(rows, header=header), region)
    [row] = report.rows
    assert "une CPTS nommée « CPTS du Pays de Laval » existe déjà" in row.errors[0]

    content = csv_bytes(
        [["CPTS B", "53", "W12", codes[1]]], header=["nom", "departement", "rna", "codes_insee"]
    )
    [row] = report_for("cpts.csv", content, region).rows
    assert row.errors == ["Ligne 2 : numéro RNA « W12 » invalide : W suivi de 9 chiffres attendu."]


def test_overlap_inside_the_file_is_a_warning_on_both_lines(region, codes):
    rows = [
        ["CPTS A", "53", "", "", "", "", f"{codes[0]} {codes[1]}"],
        ["CPTS B", "53", "", "", "", "", f"{codes[1]} {codes[2]}"],
    ]
    report = report_for("cpts.csv", csv_bytes(rows), region)
    assert report.is_valid
    assert any(
        w.startswith("Ligne 2 : communes en commun avec la ligne 3 (« CPTS B »)") and codes[1] in w
        for w in report.rows[0].warnings
    )
    assert any(
        "communes en commun avec la ligne 2 (« CPTS A »)" in w for w in report.rows[1].warnings
    )


def test_a_failure_during_import_rolls_everything_back(region, staff, valid_rows):
    report = report_for("cpts.csv", csv_bytes(valid_rows), region)
    assert report.is_valid
    before = (Cpts.objects.count(), StageTransition.objects.count())
    real = services.cpts_set_territory
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError("Panne simulée.")
        return real(**kwargs)

    with (
        mock.patch.object(services, "cpts_set_territory", side_effect=fail_on_second),
        pytest.raises(ValidationError),
    ):
        importer.import_cpts(report, region=region, by=staff)
    assert (Cpts.objects.count(), StageTransition.objects.count()) == before


# --- command ------------------------------------------------------------------------


def run_command(*args):
    out = io.StringIO()
    call_command("import_cpts", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_reports_and_writes_nothing(tmp_path, region, valid_rows):
    path = tmp_path / "cpts.csv"
    path.write_bytes(csv_bytes(valid_rows))
    before = Cpts.objects.count()

    out = run_command(str(path), "--region", "52")

    assert "Ligne 2 — CPTS du Pays de Laval : valide (Émergence" in out
    assert "Ligne 3 — CPTS Nord Mayenne : valide (Contrat ACI signé" in out
    assert (
        "3 ligne(s) valide(s), 0 en erreur ; aucune écriture (simulation). "
        "Relancez avec --wet-run pour importer." in out
    )
    assert Cpts.objects.count() == before


def test_command_wet_run_imports_with_the_author(tmp_path, region, valid_rows, staff):
    path = tmp_path / "cpts.xlsx"
    path.write_bytes(xlsx_bytes(valid_rows))

    out = run_command(str(path), "--region", "52", "--wet-run", "--as", staff.email.upper())

    assert "3 CPTS importée(s) dans la région Pays de la Loire." in out
    north = Cpts.objects.get(region=region, name="CPTS Nord Mayenne")
    assert north.stage == rules.Stage.ACI_SIGNED
    assert set(north.transitions.values_list("recorded_by", flat=True)) == {staff.pk}


def test_command_refuses_wet_run_on_an_invalid_file(tmp_path, region, valid_rows):
    path = tmp_path / "cpts.csv"
    path.write_bytes(csv_bytes([*valid_rows, ["CPTS Erreur", "99", "", "", "", "", "53130"]]))
    before = Cpts.objects.count()

    dry = run_command(str(path), "--region", "52")
    assert "Ligne 5 — CPTS Erreur : erreur" in dry
    assert "erreur : Ligne 5 : département 99 inconnu" in dry
    assert "3 ligne(s) valide(s), 1 en erreur ; aucune écriture (simulation)." in dry

    with pytest.raises(CommandError, match="Import refusé : 3 ligne\\(s\\) valide\\(s\\), 1 en"):
        run_command(str(path), "--region", "52", "--wet-run")
    assert Cpts.objects.count() == before


def test_command_file_and_option_errors(tmp_path):
    path = tmp_path / "cpts.csv"
    path.write_bytes(csv_bytes([["CPTS A", "53"]], header=["nom", "departement"]))
    with pytest.raises(CommandError, match="obligatoire manquante : codes_insee"):
        run_command(str(path), "--region", "52")
    with pytest.raises(CommandError, match="Région inconnue : 99"):
        run_command(str(path), "--region", "99")
    with pytest.raises(CommandError, match="Aucun compte"):
        run_command(str(path), "--region", "52", "--as", "personne@nulle-part.fr")


# --- view, through the URL (needs the route in interurps/cpts/urls.py) ---------------


def import_url():
    return reverse("cpts:import", args=["52"])


def upload(content, name="cpts.csv"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_view_access(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    assert client.get(import_url()).status_code == 200
    for role in (Role.PARTNER, Role.CPTS_COORDINATOR):
        client.force_login(user_with_role(role))
        assert client.get(import_url()).status_code == 403
    client.logout()
    assert client.get(import_url()).status_code == 302


def test_view_preview_writes_nothing_then_confirm_imports(client, staff, valid_rows):
    client.force_login(staff)
    before = Cpts.objects.count()

    response = client.post(import_url(), {"file": upload(csv_bytes(valid_rows))})

    assert response.status_code == 200
    assert response.context["report"].is_valid
    page = response.content.decode()
    assert "Importer ces 3 CPTS" in page
    assert page.count(">valide<") == 3
    assert Cpts.objects.count() == before
    assert client.session[SESSION_KEY]["filename"] == "cpts.csv"

    digest = response.context["digest"]
    response = client.post(import_url(), {"confirm": "1", "digest": digest})

    assert response.status_code == 302
    assert response.url == reverse("cpts:list", args=["52"])
    assert Cpts.objects.count() == before + 3
    assert SESSION_KEY not in client.session


def test_view_invalid_file_shows_errors_and_offers_no_import(client, staff, codes):
    client.force_login(staff)
    content = csv_bytes([["CPTS A", "99", "", "", "", "", codes[0]]])
    response = client.post(import_url(), {"file": upload(content)})
    page = response.content.decode()
    assert "Ligne 2\u202f: département 99 inconnu ou hors de la région Pays de la Loire" in page
    assert ">erreur<" in page
    assert "Importer ces" not in page
    assert SESSION_KEY not in client.session


def test_view_refuses_other_formats_and_serves_the_model(client, staff):
    client.force_login(staff)
    response = client.post(import_url(), {"file": upload(b"x", name="cpts.xls")})
    assert "Format non pris en charge" in response.content.decode()
    response = client.get(import_url(), {"modele": "1"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("nom;departement;etape;")


# --- view, called directly (green before the route exists) --------------------------


def call_view(user, method="get", data=None, files=None):
    factory = RequestFactory()
    path = "/regions/52/cpts/import/"
    if method == "get":
        request = factory.get(path, data or {})
    else:
        request = factory.post(path, {**(data or {}), **(files or {})})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_view_function_permissions():
    request = call_view(user_with_role(Role.FEDERATION_STAFF))
    assert cpts_import(request, "52").status_code == 200
    for role in (Role.PARTNER, Role.CPTS_COORDINATOR, Role.UNION_MEMBER):
        with pytest.raises(PermissionDenied):
            cpts_import(call_view(user_with_role(role)), "52")


def test_view_function_preview_then_confirm(staff, valid_rows):
    before = Cpts.objects.count()
    request = call_view(staff, "post", files={"file": upload(xlsx_bytes(valid_rows), "c.xlsx")})
    response = cpts_import(request, "52")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Importer ces 3 CPTS" in page
    assert Cpts.objects.count() == before
    stored = request.session[SESSION_KEY]
    assert stored["region"] == "52" and stored["filename"] == "c.xlsx"

    digest = page.split('name="digest" value="')[1].split('"')[0]
    confirm = call_view(staff, "post", data={"confirm": "1", "digest": digest})
    confirm.session = request.session
    response = cpts_import(confirm, "52")
    assert response.status_code == 302
    assert Cpts.objects.count() == before + 3
    assert SESSION_KEY not in confirm.session

    # Confirming again (nothing pending) imports nothing more.
    again = call_view(staff, "post", data={"confirm": "1", "digest": digest})
    again.session = confirm.session
    assert cpts_import(again, "52").status_code == 302
    assert Cpts.objects.count() == before + 3


def test_view_function_revalidates_on_confirm(staff, region, valid_rows):
    request = call_view(staff, "post", files={"file": upload(csv_bytes(valid_rows))})
    page = cpts_import(request, "52").content.decode()
    digest = page.split('name="digest" value="')[1].split('"')[0]
    # Someone creates one of the CPTS between the preview and the confirmation.
    services.cpts_create(
        region=region,
        name="CPTS Nord Mayenne",
        main_department=region.departments.get(code="53"),
        by=staff,
    )
    before = Cpts.objects.count()

    confirm = call_view(staff, "post", data={"confirm": "1", "digest": digest})
    confirm.session = request.session
    response = cpts_import(confirm, "52")

    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert Cpts.objects.count() == before
