import html
import io
from itertools import count

import numpy as np
import openpyxl
import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.analytics import accessibility
from interurps.cpts import services as cpts_services
from interurps.diagnostics import selectors
from interurps.geography.models import Department, Region
from interurps.professionals.models import PracticeSite, Professional
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
LAVAL, CHANGE, BONCHAMP = "53130", "53054", "53034"
numbers = count(1)


def professional(profession, *sites, mode="liberal"):
    person = Professional.objects.create(
        identifier=f"SYN53{next(numbers):06d}",
        identifier_kind="synthetique",
        last_name="Test",
        profession_id=profession,
        practice_mode=mode,
        source="synthetique",
    )
    for code in sites:
        PracticeSite.objects.create(professional=person, commune_id=code, mode=mode)
    return person


@pytest.fixture
def registry():
    professional("medecins", LAVAL)
    professional("medecins", LAVAL)
    professional("medecins", CHANGE)
    professional("medecins", LAVAL, BONCHAMP)  # two sites: half in each for supply
    professional("infirmiers", LAVAL, mode="salaried")


@pytest.fixture
def territory():
    return selectors.territory_from_codes([LAVAL, CHANGE, BONCHAMP], "Agglomération test")


def test_indicators_of_a_territory_add_up_its_communes(registry, territory):
    levels = selectors.reference_levels(territory)
    mine = levels[0]
    assert mine.population == sum(c.population for c in territory.communes)
    assert mine.liberal_counts["medecins"] == 4
    assert mine.counts["infirmiers"] == 1 and mine.liberal_counts["infirmiers"] == 0
    supply = selectors.professional_selectors.supply_by_commune(
        "medecins", commune_codes=territory.codes
    )
    assert supply == {LAVAL: 2.5, CHANGE: 1.0, BONCHAMP: 0.5}
    assert sum(supply.values()) == mine.liberal_counts["medecins"]
    assert mine.density("medecins") == pytest.approx(4 * 10_000 / mine.population)
    assert [level.label for level in levels[1:]] == ["Mayenne (53)", "Pays de la Loire", "France"]
    assert levels[1].population == Department.objects.get(code="53").population
    assert levels[3].population == sum(Region.objects.values_list("population", flat=True))


def test_accessibility_is_the_e2sfca_of_the_buffer_and_its_weighted_mean(registry, territory):
    report = selectors.diagnostic(territory, "medecins")
    values = {row.commune.code: row.accessibility for row in report.rows}
    assert all(v is not None and v > 0 for v in values.values())
    populations = np.array([c.population for c in territory.communes], dtype=float)
    expected = np.average([values[c.code] for c in territory.communes], weights=populations)
    assert report.territory_accessibility == pytest.approx(expected)
    # The bands given by the user are the ones applied.
    narrow = selectors.diagnostic(
        territory, "medecins", bands=((2.0, 1.0), (15.0, 0.5), (20.0, 0.25))
    )
    narrow_values = {row.commune.code: row.accessibility for row in narrow.rows}
    assert narrow_values != values


def test_threshold_flags_communes(registry, territory):
    report = selectors.diagnostic(territory, "medecins", threshold=1e9)
    assert len(report.flagged) == 3
    assert not selectors.diagnostic(territory, "medecins", threshold=0).flagged


def test_buffer_counts_paris_by_district():
    paris = selectors.territory_from_codes(["75101"], "Paris 1er")
    units = selectors._buffer_communes(paris.communes)
    codes = {u.code for u in units}
    assert "75101" in codes and "75056" not in codes
    whole = selectors.territory_from_codes(["75056"], "Paris")
    codes = {u.code for u in selectors._buffer_communes(whole.communes)}
    assert "75056" in codes and "75101" not in codes


def test_cpts_diagnostic_page_exports_and_permissions(client, registry):
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = cpts_services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=[LAVAL, CHANGE, BONCHAMP])
    url = reverse("diagnostics:territory")
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(url, {"cpts": cpts.pk, "threshold": "1000"})
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Diagnostic territorial — CPTS de Laval" in page
    assert "sous le seuil" in page
    assert response.context["density_map"]["features"]
    assert response.context["density_legend"]
    pdf = client.get(url, {"cpts": cpts.pk, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"cpts": cpts.pk, "format": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["Indicateurs", "Communes"]
    rows = [[c.value for c in row] for row in workbook["Indicateurs"].iter_rows()]
    assert ["Médecins", 4, 4] == rows[4][:3]
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(url, {"cpts": cpts.pk}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url, {"codes": LAVAL}).status_code == 403


def test_picked_communes_and_bad_parameters(client, registry):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("diagnostics:territory")
    response = client.get(url, {"codes": f"{LAVAL}, {CHANGE}", "label": "Mon choix"})
    assert response.status_code == 200
    assert response.context["diagnostic"].territory.label == "Mon choix"
    bad = client.get(url, {"codes": LAVAL, "band1_km": "30", "band2_km": "15", "band3_km": "20"})
    assert "Les bornes des bandes doivent être croissantes." in html.unescape(bad.text)
    assert bad.context["diagnostic"].bands == accessibility.DEFAULT_BANDS
    assert client.get(url).status_code == 200  # the picker


def test_choropleth_classes_skip_repeated_values():
    from interurps.diagnostics.views import _class_colors, _classes, _legend

    breaks = _classes([0, 0, 0, 0, 0, 0, 1.5, 3.0, 4.0, 9.0])
    assert breaks == sorted(set(breaks)) and len(breaks) < 4
    colors = _class_colors(breaks)
    assert len(colors) == len(breaks) + 1 and colors[0] != colors[-1]
    assert len(_legend(breaks, "u")) == len(colors)


def test_partial_registry_is_said(registry, territory):
    report = selectors.diagnostic(territory, "medecins")
    assert report.registry_regions == ["Pays de la Loire"]
