from collections import defaultdict

import pytest

from interurps.organizations.models import Profession
from interurps.professionals import selectors, services
from interurps.professionals.models import PracticeSite, Professional

pytestmark = pytest.mark.django_db
NANTES, ANGERS, LAVAL, LE_MANS = "44109", "49007", "53130", "72181"


def naive_supply(profession_code, liberal_only, commune_codes):
    """Reference implementation over plain Python objects."""
    supply = defaultdict(float)
    for professional in Professional.objects.filter(profession_id=profession_code, active=True):
        sites = [
            s
            for s in professional.sites.all()
            if s.commune_id and (not liberal_only or s.mode == "liberal")
        ]
        for site in sites:
            if commune_codes is None or site.commune_id in commune_codes:
                supply[site.commune_id] += 1 / len(sites)
    return dict(supply)


def test_supply_shares_a_professional_between_their_sites(make_professional):
    make_professional(sites=[(NANTES, "liberal"), (ANGERS, "liberal")])
    make_professional(sites=[(NANTES, "liberal"), (LAVAL, "liberal"), (LAVAL, "salaried")])
    make_professional(sites=[(LE_MANS, "salaried")])
    make_professional(sites=[(LE_MANS, "liberal")], active=False)
    make_professional(sites=[(NANTES, "liberal"), (None, "liberal")])
    make_professional("infirmiers", sites=[(NANTES, "liberal")])

    assert selectors.supply_by_commune("medecins") == pytest.approx(
        {NANTES: 0.5 + 0.5 + 1, ANGERS: 0.5, LAVAL: 0.5}
    )
    assert selectors.supply_by_commune("medecins", liberal_only=False) == pytest.approx(
        {NANTES: 0.5 + 1 / 3 + 1, ANGERS: 0.5, LAVAL: 2 / 3, LE_MANS: 1.0}
    )
    # Restricting to an area does not change n: half of the first professional stays outside.
    assert selectors.supply_by_commune("medecins", commune_codes=[ANGERS, LAVAL]) == (
        pytest.approx({ANGERS: 0.5, LAVAL: 0.5})
    )
    assert selectors.supply_by_commune("sages-femmes") == {}
    for liberal_only in (True, False):
        for area in (None, [NANTES, LAVAL]):
            assert selectors.supply_by_commune(
                "medecins", liberal_only=liberal_only, commune_codes=area
            ) == pytest.approx(naive_supply("medecins", liberal_only, area))


def test_counts_by_profession_counts_distinct_active_professionals(make_professional):
    make_professional(sites=[(NANTES, "liberal"), (NANTES, "liberal")])
    make_professional(sites=[(NANTES, "salaried"), (ANGERS, "liberal")])
    make_professional(sites=[(NANTES, "liberal")], active=False)
    make_professional("infirmiers", sites=[(LAVAL, "liberal")])
    make_professional("infirmiers", sites=[(None, "liberal")])
    make_professional("orthoptistes", sites=[])

    counts = selectors.counts_by_profession([NANTES], liberal_only=True)
    assert set(counts) == set(Profession.objects.values_list("code", flat=True))
    assert counts["medecins"] == 1 and counts["infirmiers"] == 0 and counts["biologistes"] == 0
    assert selectors.counts_by_profession([NANTES], liberal_only=False)["medecins"] == 2
    # A professional salaried in Nantes and liberal in Angers is not liberal in Nantes.
    assert selectors.counts_by_profession([NANTES, ANGERS], liberal_only=True)["medecins"] == 2
    everywhere = selectors.counts_by_profession(None, liberal_only=True)
    assert (everywhere["medecins"], everywhere["infirmiers"], everywhere["orthoptistes"]) == (
        2,
        2,
        0,
    )
    assert selectors.counts_by_profession([], liberal_only=False)["medecins"] == 0


def test_selectors_query_counts(make_professional, django_assert_num_queries):
    for _ in range(5):
        make_professional(sites=[(NANTES, "liberal"), (ANGERS, "liberal")])
    services.registry_counts_rebuild()
    # The counts' state, then the counts.
    with django_assert_num_queries(2):
        selectors.supply_by_commune("medecins", commune_codes=[NANTES])
    with django_assert_num_queries(2):
        selectors.counts_by_profession([NANTES], liberal_only=True)
    assert PracticeSite.objects.count() == 10
