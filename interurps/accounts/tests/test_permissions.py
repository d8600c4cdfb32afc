"""One test per role per page: 200, 403 or a redirect to the login page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from interurps.accounts.models import Role
from interurps.organizations.models import Union
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
REGION_PAGES = ["federation_detail", "union_detail"]  # any role in the region
STAFF_PAGES = ["team"]  # federation admin and staff
ADMIN_PAGES = ["federation_edit"]  # federation admin only


def page_url(name, region_code="52"):
    if name == "union_detail":
        union = Union.objects.get(region_id=region_code, profession_id="medecins")
        return reverse("organizations:union_detail", args=[union.pk])
    return reverse(f"organizations:{name}", args=[region_code])


def expected_status(role, page):
    if page in ADMIN_PAGES:
        return 200 if role == Role.FEDERATION_ADMIN else 403
    if page in STAFF_PAGES:
        return 200 if role in (Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF) else 403
    return 200


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", REGION_PAGES + STAFF_PAGES + ADMIN_PAGES)
def test_each_role_on_each_page_of_its_own_region(client, role, page):
    client.force_login(user_with_role(role))
    response = client.get(page_url(page))
    assert response.status_code == expected_status(role, page)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", REGION_PAGES + STAFF_PAGES + ADMIN_PAGES)
def test_no_role_opens_another_regions_pages(client, role, page):
    client.force_login(user_with_role(role, region_code="52"))
    response = client.get(page_url(page, region_code="11"))
    assert response.status_code == 403
    assertContains(response, "Accès refusé", status_code=403)


@pytest.mark.parametrize(
    "url",
    [
        reverse("home:home"),
        reverse("geography:region_list"),
        reverse("geography:region_detail", args=["52"]),
        reverse("geography:department_detail", args=["53"]),
        reverse("geography:commune_list"),
        reverse("geography:commune_detail", args=["53130"]),
        reverse("organizations:federation_detail", args=["52"]),
        reverse("organizations:team", args=["52"]),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assertRedirects(response, f"{reverse('accounts:login')}?next={url}")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_geography_is_open_to_every_signed_in_role(client, role):
    client.force_login(user_with_role(role))
    for url in (
        reverse("geography:region_detail", args=["11"]),
        reverse("geography:department_detail", args=["75"]),
        reverse("geography:commune_detail", args=["75056"]),
    ):
        assert client.get(url).status_code == 200


def test_user_without_role_sees_no_region_workspace(client):
    client.force_login(UserFactory())
    assert client.get(page_url("federation_detail")).status_code == 403
    response = client.get(reverse("home:home"))
    assertContains(response, "aucun rôle")


def test_missing_objects_are_404(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    assert client.get(reverse("organizations:union_detail", args=[999999])).status_code == 404
    assert client.get(reverse("geography:commune_detail", args=["99999"])).status_code == 404
    assert client.get(reverse("organizations:federation_detail", args=["ZZ"])).status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_federation_admins_enter_the_django_admin(client, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("admin:index"))
    if role == Role.FEDERATION_ADMIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_admin_lists_only_the_federation_admins_region(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN, region_code="52"))
    response = client.get(reverse("admin:organizations_union_changelist"))
    unions = list(response.context["cl"].queryset)
    assert len(unions) == 10
    assert {u.region_id for u in unions} == {"52"}
    other = Union.objects.filter(region_id="11").first()
    response = client.get(reverse("admin:organizations_union_change", args=[other.pk]))
    assert response.status_code == 302  # Django admin redirects unknown objects to the index


def test_admin_hides_users_of_other_regions(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN, region_code="52"))
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    stranger = user_with_role(Role.FEDERATION_STAFF, region_code="11")
    response = client.get(reverse("admin:accounts_user_changelist"))
    listed = set(response.context["cl"].queryset)
    assert colleague in listed
    assert stranger not in listed
