import html
import io
import json
import subprocess
from datetime import date
from itertools import count

import numpy as np
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.analytics import accessibility
from interurps.cpts import services as cpts_services
from interurps.diagnostics import selectors, views
from interurps.geography.models import Commune, Department, Region
from interurps.professionals import selectors as professional_selectors
from interurps.professionals import services as professional_services
from interurps.professionals.models import PracticeSite, Professional, RegistryImport
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
LAVAL, CHANGE, BONCHAMP = "53130", "53054", "53034"
numbers = count(1)


def professional(profession, *sites, mode="liberal"):
    person = Professional.objects.create(
        identifier=f"SYN52{next(numbers):06d}",
        identifier_kind="synthetique",
        last_name="Test",
        profession_id=profession,
        practice_mode=mode,
        source="synthetique",
    )
    for code in sites:
        PracticeSite.objects.create(professional=person, commune_id=code, mode=mode)
    professional_services.registry_counts_refresh(communes=sites, professions=[profession])
    return person


@pytest.fixture
def registry():
    professional("medecins", LAVAL)
    professional("medecins", LAVAL)
    professional("medecins", CHANGE)
    professional("medecins", LAVAL, BONCHAMP)  # two sites: half in each for supply
    professional("infirmiers", LAVAL, mode="salaried")


@pytest.fixture
def make_annuaire_professional():
    def make():
        person = Professional.objects.create(
            identifier="10000000099",
            identifier_kind="rpps",
            last_name="Réel",
            profession_id="medecins",
            practice_mode="liberal",
            source="annuaire",
        )
        PracticeSite.objects.create(professional=person, commune_id="75056", mode="liberal")
        professional_services.registry_counts_refresh(communes=["75056"], professions=["medecins"])
        return person

    return make


@pytest.fixture
def territory():
    return selectors.territory_from_codes([LAVAL, CHANGE, BONCHAMP], "Agglomération test")


def all_departments():
    return set(Department.objects.values_list("code", flat=True))


def test_indicators_of_a_territory_add_up_its_communes(registry, territory):
    levels, hidden = selectors.reference_levels(territory, all_departments())
    assert hidden == []
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
    # Colours by commune in the page, outlines fetched apart (not inlined).
    assert set(response.context["density_map"]["values"]) == {c.code for c in cpts.communes.all()}
    assert "geometry" not in json.dumps(response.context["density_map"])
    outline_url = response.context["outline_url"]
    assert f'data-map-url="{outline_url}"' in response.text
    outlines = json.loads(client.get(outline_url).content)
    assert {f["properties"]["code"] for f in outlines["features"]} == set(
        response.context["density_map"]["values"]
    )
    assert response.context["density_legend"]
    pdf = client.get(url, {"cpts": cpts.pk, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"cpts": cpts.pk, "format": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["Indicateurs", "Communes"]
    rows = [[c.value for c in row] for row in workbook["Indicateurs"].iter_rows()]
    header = next(row for row in rows if row[0] == "Profession")
    assert "Tous modes" not in header  # synthetic data only: all liberal by construction
    assert next(row for row in rows if row[0] == "Médecins")[1] == 4
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
    # The registry (no import recorded) covers the departments where it has data: Mayenne.
    assert report.coverage == "Mayenne (53)"
    assert [level.label for level in report.levels] == ["Agglomération test", "Mayenne (53)"]
    assert [level.label for level in report.hidden_levels] == ["Pays de la Loire", "France"]
    assert report.territory_covered


# --- comparison levels, whole people, data source (issue 11) ---------------------------------


def synthetic_generation(region_code="52", day=date(2026, 11, 29)):
    return RegistryImport.objects.create(
        source="synthetique", region_id=region_code, data_date=day, professionals=5
    )


def test_a_level_is_compared_only_when_the_registry_covers_all_its_departments(registry, territory):
    synthetic_generation("52")
    # A professional of the demo registry also practising in Paris: a stray site there does
    # not make Paris covered.
    professional("medecins", LAVAL, "75056")
    report = selectors.diagnostic(territory, "medecins")
    assert [level.label for level in report.levels] == [
        "Agglomération test",
        "Mayenne (53)",
        "Pays de la Loire",
    ]
    [france] = report.hidden_levels
    assert france.label == "France"
    assert "ne couvre que Pays de la Loire" in france.reason
    assert "75" not in professional_selectors.covered_departments()
    chart = views._bar_chart(report)
    assert [bar["label"] for bar in chart["bars"]] == [level.label for level in report.levels]


def test_a_national_extraction_covers_france(registry, territory, make_annuaire_professional):
    make_annuaire_professional()
    RegistryImport.objects.create(source="annuaire", data_date=date(2026, 10, 12))
    report = selectors.diagnostic(territory, "medecins")
    assert [level.kind for level in report.levels] == [
        "territoire",
        "departement",
        "region",
        "france",
    ]
    assert report.hidden_levels == []
    france = report.levels[-1]
    assert france.liberal_counts["medecins"] == 5  # the four of the fixture and the new one
    assert report.show_all_modes  # real data mixes liberal and salaried practice


def test_an_import_whose_data_is_gone_does_not_cover_anything(registry, territory):
    RegistryImport.objects.create(source="annuaire", data_date=date(2026, 10, 12))
    # No annuaire professional is active: the record is ignored, the data decides (Mayenne).
    assert professional_selectors.latest_imports() == []
    assert professional_selectors.covered_departments() == {"53"}


def test_an_uncovered_territory_is_said(registry):
    synthetic_generation("52")
    paris = selectors.territory_from_codes(["75101", "75102"], "Paris centre")
    report = selectors.diagnostic(paris, "medecins")
    assert not report.territory_covered
    assert [level.label for level in report.levels] == ["Paris centre"]


def test_a_level_identical_to_the_territory_is_not_repeated(registry):
    synthetic_generation("52")
    mayenne = selectors.territory_from_department(Department.objects.get(code="53"))
    levels, hidden = selectors.reference_levels(mayenne, all_departments())
    assert [level.kind for level in levels] == ["territoire", "region", "france"]
    assert hidden == []
    loire = Region.objects.get(code="52")
    whole_region = selectors.Territory(
        loire.name,
        list(Commune.objects.filter(department__region=loire, kind=Commune.Kind.COMMUNE)),
        "region",
    )
    levels, _ = selectors.reference_levels(whole_region, all_departments())
    assert [level.kind for level in levels] == ["territoire", "departement", "france"]


def test_counts_are_whole_people_and_shares_stay_in_accessibility(registry, territory):
    # A physician with two sites in Laval is one person in Laval.
    professional("medecins", LAVAL, LAVAL)
    report = selectors.diagnostic(territory, "medecins")
    counts = {row.commune.code: row.count for row in report.rows}
    # Laval: 2 + the two-commune physician + the two-site one; Bonchamp: the two-commune one.
    assert counts == {LAVAL: 4, CHANGE: 1, BONCHAMP: 1}
    assert all(isinstance(value, int) for value in counts.values())
    assert report.levels[0].liberal_counts["medecins"] == 5
    laval = next(row for row in report.rows if row.commune.code == LAVAL)
    assert laval.density == pytest.approx(4 * 10_000 / laval.commune.population)
    supply = professional_selectors.supply_by_commune("medecins", commune_codes=territory.codes)
    assert supply[LAVAL] == pytest.approx(3.5) and supply[BONCHAMP] == pytest.approx(0.5)


def test_the_data_source_and_date_are_printed_on_the_page_and_the_pdf(client, registry):
    synthetic_generation("52", date(2026, 11, 29))
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("diagnostics:territory")
    page = html.unescape(client.get(url, {"codes": LAVAL}).text)
    expected = (
        "Données synthétiques de démonstration (Pays de la Loire) générées le 29 novembre 2026"
    )
    assert expected in page
    assert "Comparaison avec «\u202fFrance\u202f» non affichée" in page
    pdf = client.get(url, {"codes": LAVAL, "format": "pdf"}).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "générées le 29 novembre 2026" in " ".join(text.split())
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"codes": LAVAL, "format": "xlsx"}).content)
    )
    cells = [c.value for row in workbook["Indicateurs"].iter_rows() for c in row]
    assert (
        "Données synthétiques de démonstration (Pays de la Loire) générées le 29/11/2026" in cells
    )


def test_an_annuaire_import_is_dated_by_its_extraction(
    client, registry, make_annuaire_professional
):
    make_annuaire_professional()
    RegistryImport.objects.create(
        source="annuaire", data_date=date(2026, 10, 12), file_name="PS_LibreAcces.txt"
    )
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    page = html.unescape(client.get(reverse("diagnostics:territory"), {"codes": LAVAL}).text)
    assert "Source\u202f: Annuaire Santé (ANS), extraction du 12 octobre 2026" in page
    assert "Tous modes" in page


def test_an_empty_registry_compares_nothing_and_says_so(territory):
    report = selectors.diagnostic(territory, "medecins")
    assert [level.label for level in report.levels] == ["Agglomération test"]
    assert {level.reason for level in report.hidden_levels} == {
        "le registre des professionnels est vide."
    }
    assert not report.territory_covered


def test_diagnostic_page_queries_do_not_grow_with_the_registry(client, registry):
    synthetic_generation("52")
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("diagnostics:territory")

    def queries(params) -> int:
        professional_services.registry_counts_rebuild()
        client.get(url, params)  # the geography's reference data cached
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    small = {"departement": "53"}, {"codes": f"{LAVAL} {CHANGE}"}
    before = [queries(params) for params in small]
    for _ in range(25):
        professional("medecins", LAVAL, BONCHAMP)
        professional("infirmiers", CHANGE)
    assert [queries(params) for params in small] == before
