import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interurps.diagnostics import selectors as diagnostic_selectors
from interurps.geography.models import Department, Region
from interurps.professionals import rules, selectors, services
from interurps.professionals.models import RegistryCount, RegistryCountState

NANTES, ANGERS = "44109", "49007"


def test_registry_counts_are_whole_people_sites_and_shares():
    rows = [
        (1, "medecins", NANTES, "44", "52", "liberal"),
        (1, "medecins", NANTES, "44", "52", "liberal"),  # a second site in Nantes
        (1, "medecins", ANGERS, "49", "52", "liberal"),
        (2, "medecins", None, None, None, "liberal"),  # commune unknown: France only
        (3, "medecins", NANTES, "44", "52", "salaried"),
    ]
    liberal = rules.registry_counts(rows, liberal_only=True)
    assert liberal[("commune", NANTES, "medecins")] == [1, 2, pytest.approx(2 / 3)]
    assert liberal[("commune", ANGERS, "medecins")] == [1, 1, pytest.approx(1 / 3)]
    assert liberal[("departement", "44", "medecins")][:2] == [1, 2]
    assert liberal[("region", "52", "medecins")][:2] == [1, 3]
    assert liberal[("france", "FR", "medecins")][:2] == [2, 4]
    every_mode = rules.registry_counts(rows, liberal_only=False)
    assert every_mode[("commune", NANTES, "medecins")][:2] == [2, 3]
    assert every_mode[("france", "FR", "medecins")][:2] == [3, 5]


@pytest.mark.django_db
def test_the_generator_rebuilds_the_counts_in_its_transaction():
    region = Region.objects.get(code="52")
    services.professionals_generate_synthetic(region=region, seed=3)
    state = RegistryCountState.objects.get(pk=1)
    assert not state.stale
    france = RegistryCount.objects.get(
        scope="france", code="FR", profession_id="medecins", liberal_only=True
    )
    assert (
        france.persons
        == selectors.counts_by_profession(
            list(region.departments.values_list("communes__code", flat=True)), liberal_only=True
        )["medecins"]
    )
    assert state.summary["synthetic_regions"] == ["52"]


@pytest.mark.django_db
def test_an_edit_one_by_one_makes_the_counts_stale_and_the_next_read_rebuilds_them(
    make_professional,
):
    make_professional(sites=[(NANTES, "liberal")])
    assert selectors.persons_by_commune("medecins", commune_codes=[NANTES]) == {NANTES: 1}
    make_professional(sites=[(NANTES, "liberal")])
    assert RegistryCountState.objects.get(pk=1).stale
    assert selectors.persons_by_commune("medecins", commune_codes=[NANTES]) == {NANTES: 2}
    assert selectors.area_counts("departement", "44")[1]["medecins"] == 2


@pytest.mark.django_db
def test_diagnostic_queries_do_not_grow_with_the_registry(make_professional):
    services.professionals_generate_synthetic(region=Region.objects.get(code="52"), seed=1)
    loire_atlantique = diagnostic_selectors.territory_from_department(
        Department.objects.get(code="44")
    )

    def queries() -> int:
        services.registry_counts_rebuild()
        diagnostic_selectors.diagnostic(loire_atlantique, "medecins")  # geography cached
        with CaptureQueriesContext(connection) as captured:
            diagnostic_selectors.diagnostic(loire_atlantique, "medecins")
        # No level is counted over the registry's rows.
        assert not any("COUNT(DISTINCT" in q["sql"].upper() for q in captured)
        return len(captured)

    before = queries()
    for _ in range(30):
        make_professional(sites=[(NANTES, "liberal"), (ANGERS, "liberal")])
    assert queries() == before
