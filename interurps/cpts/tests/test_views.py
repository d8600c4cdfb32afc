import html
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.accounts.services import role_assign
from interurps.cpts import rules
from interurps.cpts.models import Cpts, SupportAction
from tests.factories import user_with_role

from .conftest import neighbours_of

pytestmark = pytest.mark.django_db
LAVAL = "53130"


@pytest.fixture
def laval(make_cpts):
    return make_cpts("CPTS de Laval", [LAVAL])


@pytest.fixture
def other(make_cpts):
    return make_cpts("CPTS du Nord Mayenne", ["53271"])


def coordinator_of(cpts):
    user = user_with_role(Role.CPTS_COORDINATOR)
    user.role_assignments.all().delete()
    role_assign(user=user, role=Role.CPTS_COORDINATOR, region=cpts.region, cpts=cpts)
    return user


EDIT_PAGES = ["cpts:edit", "cpts:territory", "cpts:mission"]


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_a_coordinator_edits_only_their_cpts(client, laval, other, page):
    client.force_login(coordinator_of(laval))
    assert client.get(reverse(page, args=[laval.pk])).status_code == 200
    assert client.get(reverse(page, args=[other.pk])).status_code == 403
    assert client.get(reverse("cpts:detail", args=[other.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.PARTNER, Role.UNION_MEMBER, Role.HEALTH_PROFESSIONAL])
def test_read_only_roles_see_but_do_not_edit(client, laval, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("cpts:detail", args=[laval.pk]))
    assert response.status_code == 200
    assert "Modifier la fiche" not in response.text
    for page in EDIT_PAGES:
        assert client.get(reverse(page, args=[laval.pk])).status_code == 403
    assert client.get(reverse("cpts:create", args=["52"])).status_code == 403
    response = client.post(
        reverse("cpts:transition", args=[laval.pk]),
        {"stage": rules.Stage.LETTER_SUBMITTED, "occurred_on": "2021-01-01"},
    )
    assert response.status_code == 403


def test_staff_of_another_region_get_403(client, laval):
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    for name in ["cpts:detail", *EDIT_PAGES]:
        assert client.get(reverse(name, args=[laval.pk])).status_code == 403
    assert client.get(reverse("cpts:region_coverage", args=["52"])).status_code == 403
    assert client.get(reverse("cpts:list", args=["52"])).status_code == 403


def test_only_admins_correct_dates(client, laval):
    transition = laval.transitions.get()
    url = reverse("cpts:transition_correct", args=[transition.pk])
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.post(url, {"occurred_on": "2020-01-02", "reason": "Erreur de saisie"})
    assert response.status_code == 302
    transition.refresh_from_db()
    assert transition.occurred_on == date(2020, 1, 2)


def test_staff_create_a_cpts_then_draw_its_territory(client, mayenne):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("cpts:create", args=["52"]),
        {
            "name": "CPTS Pays de Laval",
            "main_department": "53",
            "legal_form": "association",
            "started_on": "2021-01-04",
        },
    )
    cpts = Cpts.objects.get(name="CPTS Pays de Laval")
    assert response.status_code == 302
    assert response.url == reverse("cpts:territory", args=[cpts.pk])
    codes = [LAVAL, *[c.code for c in neighbours_of(LAVAL)[:2]]]
    preview = client.post(
        reverse("cpts:territory", args=[cpts.pk]),
        {"codes": " ".join(codes)},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in preview.text
    assert "3</strong> communes" in preview.text
    cpts.refresh_from_db()
    assert cpts.communes.count() == 0  # the check writes nothing
    response = client.post(
        reverse("cpts:territory", args=[cpts.pk]), {"codes": ", ".join(codes), "save": "1"}
    )
    assert response.status_code == 302
    cpts.refresh_from_db()
    assert sorted(cpts.communes.values_list("code", flat=True)) == sorted(codes)


def test_create_form_reports_bad_identifiers(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("cpts:create", args=["52"]),
        {
            "name": "X",
            "main_department": "75",
            "legal_form": "association",
            "siret": "123",
            "started_on": "2021-01-04",
        },
    )
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Le SIRET compte 14 chiffres." in page
    assert "Sélectionnez un choix valide" in page  # Paris is not in Pays de la Loire
    assert not Cpts.objects.filter(name="X").exists()


def test_territory_with_errors_is_not_saved(client, laval):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("cpts:territory", args=[laval.pk]), {"codes": "53130 99999", "save": "1"}
    )
    assert response.status_code == 200
    assert "Code INSEE inconnu\u202f: 99999." in html.unescape(response.text)
    assert list(laval.communes.values_list("code", flat=True)) == [LAVAL]


def test_illegal_transition_shows_its_reason(client, laval):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("cpts:transition", args=[laval.pk]),
        {"stage": rules.Stage.ACI_SIGNED, "occurred_on": "2021-01-01"},
        follow=True,
    )
    assert "validation du projet de santé par l" in html.unescape(response.text)
    laval.refresh_from_db()
    assert laval.stage == rules.Stage.EMERGENCE


def test_support_actions_are_logged_by_staff_only(client, laval):
    url = reverse("cpts:related_add", args=[laval.pk, "accompagnement"])
    data = {
        "accompagnement-occurred_on": "2021-03-01",
        "accompagnement-kind": "atelier",
        "accompagnement-description": "Atelier projet de santé",
    }
    client.force_login(coordinator_of(laval))
    assert client.post(url, data).status_code == 403
    staff = user_with_role(Role.FEDERATION_STAFF)
    client.force_login(staff)
    assert client.post(url, data).status_code == 302
    action = SupportAction.objects.get(cpts=laval)
    assert action.description == "Atelier projet de santé"
    response = client.get(reverse("cpts:detail", args=[laval.pk]))
    assert "Atelier projet de santé" in response.text


def test_coordinator_records_members_of_their_cpts(client, laval):
    client.force_login(coordinator_of(laval))
    url = reverse("cpts:related_add", args=[laval.pk, "adherents"])
    client.post(url, {"adherents-profession": "infirmiers", "adherents-count": "12"})
    assert laval.member_counts.get().count == 12
    bad = client.post(
        url, {"adherents-profession": "infirmiers", "adherents-count": "-3"}, follow=True
    )
    assert "non enregistré" in html.unescape(bad.text)


def test_the_cpts_list_runs_a_bounded_number_of_queries_without_outlines(client, laval, make_cpts):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("cpts:list", args=["52"])

    def page_queries(expected):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert [c.name for c in response.context["cpts_list"]] == expected
        return [q["sql"] for q in queries]

    one = page_queries(["CPTS de Laval"])
    for name, code in [("CPTS du Nord", "53271"), ("CPTS du Sud", "53054")]:
        make_cpts(name, [code])
    three = page_queries(["CPTS de Laval", "CPTS du Nord", "CPTS du Sud"])
    assert len(three) == len(one)
    listing = next(sql for sql in three if 'FROM "cpts_cpts"' in sql and "LIMIT" not in sql)
    assert '"geometry"' not in listing  # neither the CPTS' outlines nor their departments'


def test_coverage_page_shows_computed_figures(client, laval, loire):
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(reverse("cpts:region_coverage", args=["52"]))
    report = response.context["report"]
    assert report.coverage.covered_population == laval.population
    page = html.unescape(response.text)
    assert "1 sur 5" in page
    assert "départements avec au moins une CPTS" in page


def test_aci_scales_page_says_which_version_applies(client):
    from interurps.analytics import aci

    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.get(reverse("cpts:aci_scales"))
    page = html.unescape(response.text)
    current = aci.version_for(None, date.today())  # noqa: DTZ011
    assert page.count("applicable au") == 1
    assert f'{current.name} <span class="badge badge--current">applicable au' in page
    assert "non confirmé" in page


def test_aci_funding_command_is_registered(capsys):
    from django.core.management import call_command

    call_command("aci_funding", "--population", "39999", "--format", "json")
    out = capsys.readouterr().out
    assert '"size_category": 1' in out
