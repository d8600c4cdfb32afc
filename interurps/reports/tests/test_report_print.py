"""The printed activity report: cover, footer, file name and repeated sessions counted."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from interurps.accounts.models import Role
from interurps.reports.builder import build_report
from interurps.reports.rules import group_repeated
from interurps.reports.tests.test_report import normalise
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_repeated_sessions_are_counted_on_one_line():
    lines = group_repeated(
        [("Relais", "Réunion de travail", date(2021, month, 3)) for month in (5, 1, 9)]
        + [("PACTE", "Jour 1", date(2021, 2, 1))]
    )
    assert [(line.label, line.count) for line in lines] == [
        ("Relais — Réunion de travail", 3),
        ("PACTE — Jour 1", 1),
    ]
    assert (lines[0].first, lines[0].last) == (date(2021, 1, 3), date(2021, 9, 3))


def test_demo_training_meetings_are_grouped(demo):
    training = build_report(demo, 2021).training
    work_meetings = [line for line in training if "Réunion de travail" in line.title]
    assert len(work_meetings) == 1
    assert work_meetings[0].count == 13
    assert sum(line.count for line in training) == 28
    assert len(training) < 28


def test_pdf_has_a_cover_a_footer_and_a_named_file(client, demo, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install Debian's poppler-utils")
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(reverse("reports:pdf", args=["52", 2021]))
    assert response.status_code == 200
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'inline; filename="rapport-activite-2021-pays-de-la-loire-{today.isoformat()}.pdf"'
    )
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [normalise(page) for page in text.split("\f") if page.strip()]
    cover = pages[0].split()
    assert " ".join(cover) == (
        f"InterURPS Pays de la Loire Rapport d'activité 2021 Édité le {date_format(today, 'j F Y')}"
    )
    for number, page in enumerate(pages[1:], start=2):
        assert "InterURPS Pays de la Loire · rapport d'activité 2021" in page, number
        assert f"Page {number} / {len(pages)}" in page, number
    body = " ".join(pages)
    assert re.search(r"Réunion de travail avec le Dr Jean-François Moreul — Anne-Laure", body)
    assert "13 séances, du 8 janvier au 8 décembre 2021" in body
    assert body.count("Réunion de travail avec le Dr Jean-François Moreul") == 1
