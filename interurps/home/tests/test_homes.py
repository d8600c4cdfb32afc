import html
import re

import pytest
from django.urls import reverse

from interurps.accounts.models import Role, RoleAssignment
from interurps.cpts import selectors as cpts_selectors
from interurps.home import spaces
from tests.factories import user_with_role

from .conftest import coordinator_of, partner_user, union_member_of

pytestmark = pytest.mark.django_db

BLOCKS = {
    "staff": 'id="a-traiter"',
    "coordinator": 'id="ma-cpts"',
    "partner": 'id="cpom"',
    "union": 'id="mon-union"',
    "tools": 'id="mes-outils"',
}


def home_page(client, user):
    client.force_login(user)
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    return response, html.unescape(response.text)


def assert_only_block(page, block):
    for name, marker in BLOCKS.items():
        assert (marker in page) == (name == block), name


def counter(page, slug) -> int:
    match = re.search(rf'href="/a-traiter/{slug}/"><span class="stat__value">(\d+)</span>', page)
    assert match, slug
    return int(match.group(1))


def test_federation_staff_home_shows_their_work(client, region_data):
    response, page = home_page(client, region_data.staff)
    assert_only_block(page, "staff")
    assert counter(page, "missions-en-retard") == 4  # 5 core missions, one deployed
    assert counter(page, "cpts-en-attente") == 1
    assert counter(page, "liste-attente") == 1
    assert counter(page, "presences") == 1
    text = re.sub(r"<[^>]+>", "", page)
    assert "4 missions de CPTS en retard" in text
    assert "1 présence à pointer" in text
    assert region_data.meeting_title in page
    assert region_data.event_title in page
    assert response.context["summary"]["department_count"] == 5
    assert len(response.context["unions"]) == 10


def test_each_counter_opens_its_filtered_list(client, region_data):
    client.force_login(region_data.staff)
    expected = {
        "missions-en-retard": "CPTS du Bocage",
        "cpts-en-attente": "CPTS des Coëvrons",
        "liste-attente": "Personne 2",
        "presences": "Claire Dupont",
    }
    for slug, name in expected.items():
        response = client.get(reverse("home:todo", args=[slug]))
        assert response.status_code == 200
        page = html.unescape(response.text)
        assert name in page
        assert len(response.context["items"]) == 1 if slug != "missions-en-retard" else 4
    page = html.unescape(client.get(reverse("home:todo", args=["liste-attente"])).text)
    assert "Personne 1" not in page  # confirmed, not waiting
    assert client.get(reverse("home:todo", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.PARTNER, Role.UNION_MEMBER, Role.CPTS_COORDINATOR, Role.HEALTH_PROFESSIONAL]
)
def test_work_queues_are_the_federation_staffs(client, region_data, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("home:todo", args=["presences"])).status_code == 403


def test_admin_home_is_the_staff_home(client, region_data):
    _, page = home_page(client, user_with_role(Role.FEDERATION_ADMIN))
    assert_only_block(page, "staff")


def test_coordinator_home_is_their_cpts(client, region_data):
    response, page = home_page(client, coordinator_of(region_data.cpts))
    assert_only_block(page, "coordinator")
    assert "CPTS du Bocage" in page
    assert "Contrat ACI signé" in page
    assert response.context["late_count"] == 4
    assert page.count("en retard pour démarrer") == 4
    assert response.context["member_total"] == 12
    assert "12 professionnels" in page
    assert f'href="/diagnostics/?cpts={region_data.cpts.pk}"' in page
    agenda = [item.title for item in response.context["agenda"]]
    assert agenda == [region_data.meeting_title, region_data.session_title, region_data.event_title]
    assert "CPTS des Coëvrons" not in page
    assert "Webinaire en cours" not in page  # no one of the CPTS registered


def test_coordinator_without_a_cpts_is_told_so(client, region_data):
    _, page = home_page(client, user_with_role(Role.CPTS_COORDINATOR))
    assert_only_block(page, "coordinator")
    assert "Aucune CPTS n'est rattachée" in page


def test_partner_home_shows_cpom_indicators_and_coverage(client, region_data):
    response, page = home_page(client, partner_user())
    assert_only_block(page, "partner")
    assert region_data.indicator_title in page
    assert "Atteint" in page  # 12 measured for a target of 10
    coverage = response.context["coverage"]
    assert 'id="couverture"' in page
    stage_counts = {label: count for _, label, count in coverage.by_stage}
    assert stage_counts["Contrat ACI signé"] == 1
    assert stage_counts["Projet de santé déposé"] == 1
    assert f'<span class="stat__value">{len(coverage.cpts)}</span>' in page
    # The share is the coverage page's own figure (one decimal), not a rounded ratio.
    share = cpts_selectors.covered_share_percent(coverage)
    assert f"{share}".replace(".", ",") + "\u202f%" in page


def test_partner_home_computes_the_coverage_once(client, region_data, monkeypatch):
    """The contract's automatic "population covered" indicators (two here) show the home's
    own coverage figure, computed once for the page."""
    from interurps.cpom import computations
    from interurps.cpom import services as cpom_services
    from interurps.cpom.models import Objective

    objective = Objective.objects.get(theme__contract__federation=region_data.federation)
    for title in ("Population couverte", "Population couverte (rappel)"):
        cpom_services.indicator_create(
            objective=objective,
            title=title,
            unit="%",
            baseline=0,
            computation=computations.POPULATION_COVERED,
        )
    calls = []
    real = cpts_selectors.area_coverage
    monkeypatch.setattr(
        cpts_selectors, "area_coverage", lambda *a, **kw: calls.append(a) or real(*a, **kw)
    )
    monkeypatch.setattr(computations, "area_coverage", cpts_selectors.area_coverage)
    response, page = home_page(client, partner_user())
    assert len(calls) == 1
    share = cpts_selectors.covered_share_percent(response.context["coverage"])
    rows = [r for c in response.context["contracts"] for r in c["rows"]]
    covered = [r for r in rows if r.indicator.computation == computations.POPULATION_COVERED]
    assert [r.value for r in covered] == [share, share]


def test_union_member_home_shows_their_union(client, region_data):
    response, page = home_page(client, union_member_of(region_data.union))
    assert_only_block(page, "union")
    assert region_data.union.name in page
    assert [m.candidate.full_name for m in response.context["mandates"]] == [
        "Anne Aubert",
        "Alain Arnaud",
    ]  # 300 and 150 beat 100 at the highest average
    assert "2 élu·es en mandat" in page


@pytest.mark.parametrize("role", [Role.HEALTH_PROFESSIONAL, Role.SAS_REGULATOR])
def test_professionals_and_regulators_see_what_they_can_do_with_no_dead_link(
    client, region_data, role
):
    user = user_with_role(role)
    response, page = home_page(client, user)
    assert_only_block(page, "tools")
    if role == Role.SAS_REGULATOR:
        assert "demande de soins aujourd'hui" in page  # counts: interurps/sas/tests
    else:
        assert "Déclarez vos créneaux au SAS" in page
        assert "en préparation" not in page
    section = page[page.index('id="mes-outils"') :]
    links = re.findall(r'href="(/[^"#]*)"', section.split("</section>")[0])
    assert links
    for link in links:
        assert client.get(link, follow=True).status_code == 200, link


def test_a_person_with_several_roles_switches_and_the_choice_is_remembered(client, region_data):
    user = union_member_of(region_data.union)
    coordinator = RoleAssignment.objects.create(
        user=user, role=Role.CPTS_COORDINATOR, region_id="52", cpts=region_data.cpts
    )
    response, page = home_page(client, user)
    assert_only_block(page, "union")  # roles in the order of the list of roles
    assert "Vos espaces" in page
    union_space = user.role_assignments.get(role=Role.UNION_MEMBER)
    response = client.get(reverse("home:home"), {"espace": coordinator.pk})
    assert response.status_code == 302
    assert client.session[spaces.SESSION_KEY] == coordinator.pk
    page = html.unescape(client.get(reverse("home:home")).text)
    assert_only_block(page, "coordinator")
    response = client.get(reverse("home:home"), {"espace": union_space.pk})
    assert response.status_code == 302
    assert client.session[spaces.SESSION_KEY] == union_space.pk
    page = html.unescape(client.get(reverse("home:home")).text)
    assert_only_block(page, "union")
    # Someone else's space, or garbage, changes nothing.
    other = RoleAssignment.objects.exclude(user=user).first()
    client.get(reverse("home:home"), {"espace": other.pk})
    client.get(reverse("home:home"), {"espace": "x\x00"})
    assert client.session[spaces.SESSION_KEY] == union_space.pk


def test_user_without_role_gets_an_explanation(client, db):
    from tests.factories import UserFactory

    _, page = home_page(client, UserFactory())
    assert "aucun rôle" in page
    for marker in BLOCKS.values():
        assert marker not in page


def test_staff_home_queries_do_not_grow_with_the_number_of_cpts(
    client, region_data, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import _cpts

    client.force_login(region_data.staff)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home:home"))
    for n in range(5):
        signed = region_data.cpts.aci_signed_on
        _cpts(f"CPTS supplémentaire {n}", stage="aci_signe", aci_signed_on=signed)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("home:home"))
    assert counter(html.unescape(response.text), "missions-en-retard") == 4 + 5 * 5
