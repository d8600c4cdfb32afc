import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interurps.diagnostics import selectors as diagnostic_selectors
from interurps.geography.models import Department, Region
from interurps.professionals import rules, selectors, services
from interurps.professionals.models import (
    PracticeSite,
    Professional,
    RegistryCount,
    RegistryCountState,
)

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


def _all_counts() -> dict:
    return {
        (c.scope, c.code, c.profession_id, c.liberal_only): (c.persons, c.sites, c.supply)
        for c in RegistryCount.objects.all()
    }


def _assert_same_counts(incremental: dict, rebuilt: dict):
    assert incremental.keys() == rebuilt.keys()
    for key, (persons, sites, supply) in rebuilt.items():
        assert incremental[key][:2] == (persons, sites), key
        assert incremental[key][2] == pytest.approx(supply), key


@pytest.mark.django_db
def test_an_edit_one_by_one_recounts_what_it_touches_as_a_rebuild_would(make_professional):
    """Moves, new sites, a change of profession, retirement, deletion: after each, the
    recount of the touched communes and professions equals a rebuild of everything."""
    services.professionals_generate_synthetic(region=Region.objects.get(code="52"), seed=2)
    person = make_professional(sites=[(NANTES, "liberal"), (ANGERS, "liberal")])
    other = make_professional("infirmiers", sites=[(NANTES, "salaried")])
    before_version = RegistryCountState.objects.get(pk=1).version

    def edit(change, professionals):
        footprint = (
            {c for p in professionals for c in p.sites.values_list("commune_id", flat=True)},
            set(
                Professional.objects.filter(pk__in=[p.pk for p in professionals]).values_list(
                    "profession_id", flat=True
                )
            ),
        )
        change()
        after = [p for p in professionals if Professional.objects.filter(pk=p.pk).exists()]
        services.registry_counts_refresh(
            communes=footprint[0]
            | {c for p in after for c in p.sites.values_list("commune_id", flat=True)},
            professions=footprint[1]
            | set(
                Professional.objects.filter(pk__in=[p.pk for p in after]).values_list(
                    "profession_id", flat=True
                )
            ),
        )
        incremental = _all_counts()
        services.registry_counts_rebuild()
        _assert_same_counts(incremental, _all_counts())

    edit(lambda: person.sites.filter(commune_id=ANGERS).update(commune_id="72181"), [person])
    edit(
        lambda: PracticeSite.objects.create(professional=person, commune_id=NANTES, mode="liberal"),
        [person],
    )
    edit(
        lambda: Professional.objects.filter(pk=person.pk).update(profession_id="sages-femmes"),
        [person],
    )
    edit(lambda: Professional.objects.filter(pk=other.pk).update(active=False), [other])
    edit(lambda: Professional.objects.filter(pk=person.pk).delete(), [person])
    assert RegistryCountState.objects.get(pk=1).version > before_version


@pytest.mark.django_db
def test_the_admin_recounts_the_registry_after_an_edit(client, make_professional):
    """Deleting a professional in the admin is seen by the next diagnostic at once."""
    from interurps.accounts.models import User

    keep = make_professional(sites=[(NANTES, "liberal")])
    gone = make_professional(sites=[(NANTES, "liberal")])
    assert selectors.persons_by_commune("medecins", commune_codes=[NANTES]) == {NANTES: 2}
    client.force_login(User.objects.create_superuser("root@exemple.fr", "x-long-password-1"))

    response = client.post(f"/admin/professionals/professional/{gone.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert selectors.persons_by_commune("medecins", commune_codes=[NANTES]) == {NANTES: 1}
    assert selectors.area_counts("departement", "44")[1]["medecins"] == 1
    assert Professional.objects.filter(pk=keep.pk).exists()


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
