import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Sum

from interurps.accounts.models import Role
from interurps.cpts import rules, selectors, services
from interurps.cpts.demo import DEMO_CPTS, SIGNED
from interurps.cpts.models import Cpts, Mission
from interurps.cpts.views import coverage_rows
from interurps.geography.models import Commune, Department
from tests.factories import user_with_role

from .conftest import neighbours_of

pytestmark = pytest.mark.django_db
LAVAL = "53130"


def test_population_and_size_are_computed_from_the_territory(make_cpts):
    codes = [LAVAL, *[c.code for c in neighbours_of(LAVAL)[:3]]]
    cpts = make_cpts("CPTS de Laval", codes)
    expected = Commune.objects.filter(code__in=codes).aggregate(total=Sum("population"))["total"]
    assert cpts.population == expected
    assert cpts.size_category == (2 if 40_000 <= expected <= 80_000 else 3)
    assert cpts.geometry.startswith('{"type":')
    assert cpts.communes.count() == 4


@pytest.mark.parametrize(
    ("population", "size"),
    [(39_999, 1), (40_000, 2), (80_000, 2), (80_001, 3), (175_000, 3), (175_001, 4)],
)
def test_size_category_boundaries_on_the_model(population, size):
    assert Cpts(population=population).size_category == size


def test_unknown_codes_are_errors_and_nothing_is_saved(make_cpts):
    cpts = make_cpts("CPTS de Laval", [LAVAL])
    with pytest.raises(ValidationError) as error:
        services.cpts_set_territory(cpts=cpts, codes=[LAVAL, "99999", "ABCDE"])
    assert "Codes INSEE inconnus : 99999, ABCDE." in error.value.messages
    assert list(cpts.communes.values_list("code", flat=True)) == [LAVAL]


def test_overlap_is_a_warning_naming_the_other_cpts(make_cpts):
    make_cpts("CPTS de Laval", [LAVAL])
    neighbour = neighbours_of(LAVAL)[0]
    check = selectors.territory_check([LAVAL, neighbour.code])
    assert check.is_valid
    assert any(
        "Chevauchement avec la CPTS « CPTS de Laval »" in w and LAVAL in w for w in check.warnings
    )


def test_disconnected_territory_is_a_warning(make_cpts):
    far_away = Commune.objects.get(code="53271")  # Villaines-la-Juhel, north-east Mayenne
    check = selectors.territory_check([LAVAL, far_away.code])
    assert any("2 parties disjointes" in w and "Villaines-la-Juhel" in w for w in check.warnings)
    neighbour = neighbours_of(LAVAL)[0]
    contiguous = selectors.territory_check([LAVAL, neighbour.code])
    assert not any("disjointes" in w for w in contiguous.warnings)


def test_two_regions_and_population_band_are_warnings():
    check = selectors.territory_check([LAVAL, "75101"])
    assert any("plusieurs régions" in w and "Île-de-France" in w for w in check.warnings)
    small = selectors.territory_check(["53271"])
    assert any("hors de la fourchette habituelle" in w for w in small.warnings)


def test_a_city_and_its_district_cannot_be_both_chosen():
    check = selectors.territory_check(["75056", "75101"])
    assert not check.is_valid
    assert "arrondissement" in check.errors[0]


def test_parse_insee_codes_accepts_common_separators():
    assert selectors.parse_insee_codes("53130, 53062;2a004\n53130 | 75101") == [
        "53130",
        "53062",
        "2A004",
        "75101",
    ]


def test_lifecycle_through_the_service_keeps_a_dated_history(make_cpts, staff):
    cpts = make_cpts("CPTS de Laval", [LAVAL])
    start = date(2021, 1, 4)
    for offset, stage in enumerate(rules.PATH[1:7], start=1):
        services.cpts_transition(
            cpts=cpts, stage=stage, occurred_on=start + timedelta(days=offset), by=staff
        )
    cpts.refresh_from_db()
    assert cpts.stage == rules.Stage.ACI_SIGNED
    assert cpts.aci_signed_on == start + timedelta(days=6)
    stages = list(cpts.transitions.values_list("stage", "recorded_by"))
    assert [s for s, _ in stages] == [s.value for s in rules.PATH[:7]]
    assert all(user == staff.pk for _, user in stages)


def test_illegal_jump_is_refused_with_its_reason(make_cpts, staff):
    cpts = make_cpts("CPTS de Laval", [LAVAL])
    with pytest.raises(ValidationError) as error:
        services.cpts_transition(
            cpts=cpts, stage=rules.Stage.ACI_SIGNED, occurred_on=date(2021, 1, 1), by=staff
        )
    assert "validation du projet de santé" in error.value.messages[0]
    cpts.refresh_from_db()
    assert cpts.stage == rules.Stage.EMERGENCE
    assert cpts.transitions.count() == 1


def test_date_correction_records_reason_and_updates_signature(make_cpts, staff):
    cpts = make_cpts("CPTS de Laval", [LAVAL])
    for day, stage in enumerate(rules.PATH[1:7], start=1):
        services.cpts_transition(cpts=cpts, stage=stage, occurred_on=date(2021, 2, day), by=staff)
    signed = cpts.transitions.get(stage=rules.Stage.ACI_SIGNED)
    admin = user_with_role(Role.FEDERATION_ADMIN)
    with pytest.raises(ValidationError, match="motif"):
        services.transition_correct_date(
            transition=signed, occurred_on=date(2021, 3, 1), reason=" ", by=admin
        )
    services.transition_correct_date(
        transition=signed, occurred_on=date(2021, 3, 1), reason="Date du courrier CPAM", by=admin
    )
    signed.refresh_from_db()
    cpts.refresh_from_db()
    assert signed.corrected_from == date(2021, 2, 6)
    assert signed.correction_reason == "Date du courrier CPAM"
    assert signed.corrected_by == admin
    assert cpts.aci_signed_on == date(2021, 3, 1)
    assert LogEntry.objects.get_for_object(signed).exists()


def test_mission_needs_a_start_date_once_started(make_cpts):
    cpts = make_cpts("CPTS de Laval", [LAVAL])
    with pytest.raises(ValidationError, match="date de démarrage"):
        services.mission_set(cpts=cpts, kind="prevention", status=Mission.Status.STARTED)
    mission = services.mission_set(
        cpts=cpts,
        kind="prevention",
        status=Mission.Status.STARTED,
        started_on=date(2021, 5, 1),
        achievement=0.25,
    )
    assert float(mission.achievement) == 0.25


def test_coverage_of_a_department(make_cpts, mayenne):
    laval_area = [LAVAL, *[c.code for c in neighbours_of(LAVAL)]]
    first = make_cpts("CPTS de Laval", laval_area)
    second = make_cpts("CPTS du Nord", ["53271", laval_area[1]])
    report = selectors.area_coverage(mayenne, outlines=True)
    units = Commune.objects.filter(department=mayenne)
    total = units.aggregate(total=Sum("population"))["total"]
    covered_codes = set(laval_area) | {"53271"}
    covered = units.filter(code__in=covered_codes).aggregate(total=Sum("population"))["total"]
    assert report.coverage.total_population == total
    assert report.coverage.covered_population == covered
    assert len(report.uncovered) == units.count() - len(covered_codes)
    assert report.uncovered_population == total - covered
    assert [(u.code, [c.name for c in cs]) for u, cs in report.overlaps] == [
        (laval_area[1], ["CPTS de Laval", "CPTS du Nord"])
    ]
    assert report.smallest == second and report.largest == first
    emergence = dict((code, count) for code, _, count in report.by_stage)
    assert emergence[rules.Stage.EMERGENCE] == 2
    white = {f["properties"]["kind"] for f in selectors.coverage_geojson(report)["features"]}
    assert white == {"white_zone", "cpts"}


def test_region_coverage_counts_departments_and_excludes_dissolved(make_cpts, loire, staff):
    make_cpts("CPTS de Laval", [LAVAL])
    dissolved = make_cpts("CPTS de Cholet", ["49099"], Department.objects.get(code="49"))
    services.cpts_transition(
        cpts=dissolved, stage=rules.Stage.DISSOLVED, occurred_on=date(2022, 1, 3), by=staff
    )
    report = selectors.area_coverage(loire)
    assert [d.code for d in report.departments_covered] == ["53"]
    assert report.departments_total == 5
    assert [c.name for c in report.cpts] == ["CPTS de Laval"]
    assert "49099" not in report.coverage.covered_units


def test_paris_city_membership_covers_its_districts(make_cpts, staff, db):
    ile_de_france = Department.objects.get(code="75").region
    cpts = services.cpts_create(
        region=ile_de_france,
        name="CPTS Paris Centre",
        main_department=Department.objects.get(code="75"),
        by=staff,
    )
    services.cpts_set_territory(cpts=cpts, codes=["75101", "75102"])
    report = selectors.area_coverage(Department.objects.get(code="75"))
    assert "75056" not in report.units  # the city is counted by district
    assert report.coverage.covered_units == {"75101", "75102"}


def test_coverage_exports(make_cpts, mayenne, client):
    make_cpts("CPTS de Laval", [LAVAL])
    report = selectors.area_coverage(mayenne)
    rows = coverage_rows(report)
    assert ("Synthèse", "Nombre de CPTS", 1) in rows
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get("/departements/53/couverture/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Rubrique", "Libellé", "Valeur"]
    assert ["Synthèse", "Population couverte", str(report.coverage.covered_population)] in lines
    response = client.get("/departements/53/couverture/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Synthèse", "Population couverte", report.coverage.covered_population] in values


def test_funding_appears_once_the_aci_is_signed(make_cpts, staff):
    cpts = make_cpts("CPTS de Laval", [LAVAL, *[c.code for c in neighbours_of(LAVAL)]])
    assert selectors.cpts_funding(cpts) is None
    for day, stage in enumerate(rules.PATH[1:7], start=1):
        services.cpts_transition(cpts=cpts, stage=stage, occurred_on=date(2022, 6, day), by=staff)
    cpts.refresh_from_db()
    funding = selectors.cpts_funding(cpts, as_of=date(2023, 1, 1))
    assert funding.size_category == cpts.size_category
    operating = next(line for line in funding.lines if line.kind == "fonctionnement")
    assert funding.total_amount >= operating.amount > 0


def test_demo_cpts_are_contiguous_distinct_and_dated(loire, demo):
    from interurps.demo.loader import demo_load

    demo_cpts = Cpts.objects.filter(region=loire)  # the session's demo, loaded once
    assert demo_cpts.count() == len(DEMO_CPTS) == 16
    for spec in SIGNED:
        cpts = demo_cpts.get(name=spec.name)
        assert cpts.aci_signed_on == spec.aci_signed_on
        assert cpts.stage == rules.Stage.ACI_SIGNED
        assert cpts.main_department_id == spec.department
    for cpts in demo_cpts:
        codes = list(cpts.communes.values_list("code", flat=True))
        assert codes and all(code.startswith(cpts.main_department_id) for code in codes)
        check = selectors.territory_check(codes, cpts=cpts)
        assert check.is_valid
        assert not [w for w in check.warnings if "Chevauchement" in w or "disjointes" in w], cpts
    # Idempotent: a second load creates nothing.
    demo_load(region_code="52")
    assert Cpts.objects.filter(region=loire).count() == 16


def test_unrecorded_core_missions_are_listed_and_flagged_late(make_cpts, staff):
    cpts = make_cpts("CPTS de Laval", [LAVAL])
    for day, stage in enumerate(rules.PATH[1:7], start=1):
        services.cpts_transition(cpts=cpts, stage=stage, occurred_on=date(2021, 2, day), by=staff)
    cpts.refresh_from_db()
    services.mission_set(
        cpts=cpts, kind="prevention", status=Mission.Status.DEPLOYED, started_on=date(2021, 9, 1)
    )
    rows = {r["mission"].kind: r for r in selectors.mission_rows(cpts, date(2022, 3, 1))}
    assert set(rows) == {
        "acces_medecin_traitant",
        "acces_soins_non_programmes",
        "parcours",
        "prevention",
        "crises_sanitaires",
    }
    # Signed on 06/02/2021: access and crises were due to start by 06/08/2021, pathways
    # by 06/02/2022; prevention is deployed.
    assert rows["acces_medecin_traitant"]["deadlines"].late_to_start
    assert rows["crises_sanitaires"]["deadlines"].late_to_start
    assert rows["parcours"]["deadlines"].late_to_start
    assert not rows["prevention"]["deadlines"].late
    early = {r["mission"].kind: r for r in selectors.mission_rows(cpts, date(2021, 8, 6))}
    assert not any(r["deadlines"].late for r in early.values())
