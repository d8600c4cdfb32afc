import html
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.reports.builder import build_report
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_report_figures_come_from_the_demo_records(demo):
    report = build_report(demo, 2021)
    counts = {c.body.kind: c.count for c in report.governance["meeting_counts"]}
    assert counts["conseil_administration"] == 11
    assert [d.isoformat() for d in report.governance["assemblies"]] == ["2021-03-09"]
    assert [(c.aci_signed_on.isoformat(), c.name) for c in report.cpts["signed"]] == [
        ("2021-03-12", "CPTS du Grand Saumurois"),
        ("2021-03-24", "CPTS Loire Vendée Océan"),
        ("2021-03-24", "CPTS Plaine et Marais"),
        ("2021-06-14", "CPTS Ancenis"),
        ("2021-06-23", "CPTS Pays de Retz"),
        ("2021-07-05", "CPTS Sud Loire Vignoble"),
        ("2021-09-03", "CPTS Centre Vendée"),
    ]
    assert report.funding["total"] == 310_000
    assert [(line["label"], float(line["share"])) for line in report.funding["lines"]] == [
        ("Accompagnement CPTS", 32.3),
        ("Solde appel de fonds 2020 des 10 URPS", 25.8),
        ("SAS", 17.7),
        ("PACTE", 16.1),
        ("Communication", 8.1),
    ]
    sas = next(p for p in report.projects if p["title"].startswith("Service"))
    assert dict(sas["by_kind"]) == {
        "ARS": 25, "URPS": 19, "Interne": 16, "Équipe de suivi SAS": 11, "SAS pédiatrie": 4,
    }  # fmt: skip
    assert any(e.start.date().isoformat() == "2021-11-23" for e in report.events["entries"])
    assert report.training, "the PACTE calendar is in the report"


def test_pdf_renders_and_contains_the_figures(demo, tmp_path):
    for tool in ("pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: install Debian's poppler-utils")
    output = tmp_path / "rapport.pdf"
    call_command("activity_report", "--region", "52", "--year", "2021", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(output), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(page.stat().st_size > 2_000 for page in pages)
    text = normalise(
        subprocess.run(
            ["pdftotext", str(output), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    for expected in [
        "Rapport d'activité 2021",
        "2021 marque une année de croissance",
        "310 000 €",
        "32,3 %",
        "8,1 %",
        "11 conseils d'administration",
        "12 mars 2021 : CPTS du Grand Saumurois",
        "3 septembre 2021 : CPTS Centre Vendée",
        "25 — ARS",
    ]:
        assert expected in text, expected


def test_html_output_of_the_command(demo, tmp_path):
    output = tmp_path / "rapport.html"
    call_command(
        "activity_report", "--region", "52", "--year", "2021", "--output", str(output),
        "--format", "html",
    )  # fmt: skip
    page = normalise(html.unescape(output.read_text()))
    assert "Signatures de l'ACI en 2021 (7)" in page


def test_permissions_and_texts(client, demo):
    url = reverse("reports:report", args=["52", 2021])
    client.force_login(user_with_role(Role.PARTNER))
    assert client.get(url).status_code == 200
    assert client.get(reverse("reports:texts", args=["52", 2021])).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("reports:texts", args=["52", 2021]),
        {"presidents_word": "Un mot réécrit par l'équipe.", "perspectives": "2022 !"},
    )
    assert response.status_code == 302
    page = html.unescape(client.get(url).text)
    assert "Un mot réécrit par l'équipe." in page
    assert client.get(reverse("reports:report", args=["52", 1990])).status_code == 403


def test_cpom_percentages_carry_the_percent_sign_in_the_report(demo):
    from django.template.loader import render_to_string

    report = build_report(demo, 2021)
    percent_rows = [row for row in report.indicators if row["model"].is_percentage]
    assert percent_rows, "the demo CPOM has a percentage indicator (population covered)"
    page = normalise(render_to_string("reports/_report_body.html", {"report": report}))
    measured = [row for row in percent_rows if row["value"] is not None]
    assert measured, "the population covered is computed for 2021"
    for row in measured:
        value = f"{row['value']:.1f}".replace(".", ",").removesuffix(",0")
        assert re.search(rf"{re.escape(value)}(,\d)? %", page), row
