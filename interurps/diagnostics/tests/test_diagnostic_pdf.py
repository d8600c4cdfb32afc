"""The diagnostic PDF: its file name, footer, repeated table headers and CPTS outline."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from interurps.accounts.models import Role
from interurps.cpts import services as cpts_services
from interurps.geography.models import Commune, Department, Region
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install Debian's poppler-utils")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [re.sub(r"[ \u202f\xa0]+", " ", page) for page in text.split("\f") if page.strip()]


def test_diagnostic_pdf_names_the_territory_and_repeats_headers_and_footer(client, tmp_path):
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = cpts_services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS Pays de Laval-Agglo",
        main_department=Department.objects.get(code="53"),
        by=staff,
        started_on=date(2021, 1, 4),
    )
    # A whole department: the list of communes runs over several pages.
    codes = list(Commune.objects.filter(department_id="53").values_list("code", flat=True))
    cpts_services.cpts_set_territory(cpts=cpts, codes=codes)
    client.force_login(staff)

    response = client.get(reverse("diagnostics:territory"), {"cpts": cpts.pk, "format": "pdf"})

    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'inline; filename="diagnostic-cpts-pays-de-laval-agglo-{today}.pdf"'
    )
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        footer = " ".join(page.split()[-40:])  # the last lines: the running footer
        assert f"édité le {date_format(timezone.localdate(), 'j F Y')}" in footer, number
        assert "Données : population" in footer and "municipale INSEE" in footer, number
        assert f"Page {number} / {len(pages)}" in footer
    commune_pages = [page for page in pages if "(53130)" in page or re.search(r"\(53\d{3}\)", page)]
    assert len(commune_pages) >= 2
    for page in commune_pages:
        assert re.search(r"Commune +Population", page), "the table header repeats on each page"


def test_printed_maps_carry_the_cpts_outline(client):
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = cpts_services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
        started_on=date(2021, 1, 4),
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=["53130", "53054"])
    client.force_login(staff)
    page = client.get(reverse("diagnostics:territory"), {"cpts": cpts.pk}).content.decode()
    assert 'id="diagnostic-outline"' in page
    assert page.count('data-map-outline="diagnostic-outline"') == 2


def test_a_large_territory_prints_its_least_served_communes_and_says_so(client, tmp_path, settings):
    """Beyond DIAGNOSTIC_PDF_COMMUNE_ROWS communes the PDF lists the least served ones (the
    whole table stays on screen and in Excel), and says how many it leaves out."""
    settings.DIAGNOSTIC_PDF_COMMUNE_ROWS = 12
    staff = user_with_role(Role.FEDERATION_STAFF)
    client.force_login(staff)
    codes = set(Commune.objects.filter(department_id="53").values_list("code", flat=True))

    screen = client.get(reverse("diagnostics:territory"), {"departement": "53"})
    rows = screen.context["diagnostic"].rows
    assert len(rows) == len(codes) > 12
    missing = float("inf")
    worst = sorted(
        rows,
        key=lambda r: (
            r.accessibility if r.accessibility is not None else missing,
            r.density if r.density is not None else missing,
            r.commune.name,
        ),
    )[:12]

    response = client.get(reverse("diagnostics:territory"), {"departement": "53", "format": "pdf"})

    assert response.status_code == 200
    text = " ".join(pdf_pages(response.content, tmp_path))
    printed = set(re.findall(r"\((53\d{3})\)", text))
    assert printed == {row.commune.code for row in worst}
    assert f"les 12 communes à l'accessibilité la plus faible sur {len(rows)}" in " ".join(
        text.split()
    )
