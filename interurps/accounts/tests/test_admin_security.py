"""A federation admin manages the accounts of their region only, never their own privileges.

Each test here was an escalation path in the audit (issue 10): changing a superuser's or a
roleless account's password, giving a role to another region's admin and then taking the
account over, or granting oneself more rights.
"""

import pytest
from django.urls import reverse

from interurps.accounts.models import Role, RoleAssignment, User
from interurps.organizations.models import Partner, Union
from tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_52(client):
    admin = user_with_role(Role.FEDERATION_ADMIN, region_code="52")
    client.force_login(admin)
    return admin


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def password_post(client, user):
    return client.post(
        password_url(user),
        {"password1": "Nouveau-mot-de-passe-42", "password2": "Nouveau-mot-de-passe-42"},
    )


def test_the_password_url_name_is_the_one_django_registers(client):
    # Django names the URL after auth's User admin; our custom model keeps the app label.
    user = UserFactory()
    assert password_url(user) == f"/admin/accounts/user/{user.pk}/password/"


def password_still_works(user):
    user.refresh_from_db()
    return user.check_password(DEFAULT_PASSWORD)


def test_superusers_are_invisible_and_untouchable(client, admin_52):
    root = UserFactory(is_superuser=True, is_staff=True)
    # Even holding a role in the admin's region does not bring a superuser into scope.
    RoleAssignment.objects.create(user=root, role=Role.FEDERATION_STAFF, region_id="52")
    listed = set(client.get(reverse("admin:accounts_user_changelist")).context["cl"].queryset)
    assert root not in listed
    assert client.get(change_url(root)).status_code in (302, 404)
    assert password_post(client, root).status_code in (403, 404)
    assert password_still_works(root)


def test_roleless_accounts_are_out_of_scope(client, admin_52):
    nobody = UserFactory()
    listed = set(client.get(reverse("admin:accounts_user_changelist")).context["cl"].queryset)
    assert nobody not in listed
    assert password_post(client, nobody).status_code in (403, 404)
    assert password_still_works(nobody)


def test_accounts_of_another_region_are_out_of_scope(client, admin_52):
    other_admin = user_with_role(Role.FEDERATION_ADMIN, region_code="11")
    assert password_post(client, other_admin).status_code in (403, 404)
    assert password_still_works(other_admin)


def test_an_account_also_holding_a_role_elsewhere_is_read_only(client, admin_52):
    """Changing its password would take over its role in the other region."""
    both = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    RoleAssignment.objects.create(user=both, role=Role.FEDERATION_ADMIN, region_id="11")
    assert client.get(change_url(both)).status_code == 200  # visible, read-only
    assert password_post(client, both).status_code == 403
    assert password_still_works(both)
    response = client.post(
        change_url(both), {"email": "pirate@exemple.fr", "first_name": "X", "last_name": "Y"}
    )
    assert response.status_code == 403
    both.refresh_from_db()
    assert both.email != "pirate@exemple.fr"


def test_an_in_scope_account_password_can_be_changed(client, admin_52):
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    assert client.get(password_url(colleague)).status_code == 200
    response = password_post(client, colleague)
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("Nouveau-mot-de-passe-42")


def test_giving_a_role_to_another_regions_admin_is_impossible(client, admin_52):
    other_admin = user_with_role(Role.FEDERATION_ADMIN, region_code="11")
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": other_admin.pk, "role": Role.FEDERATION_STAFF, "region": "52"},
    )
    assert response.status_code == 200  # the form again, with an error on "user"
    assert "user" in response.context["adminform"].form.errors
    assert not other_admin.role_assignments.filter(region_id="52").exists()
    assert password_post(client, other_admin).status_code in (403, 404)
    assert password_still_works(other_admin)


def test_giving_a_role_to_a_roleless_account_is_impossible(client, admin_52):
    nobody = UserFactory()
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": nobody.pk, "role": Role.FEDERATION_STAFF, "region": "52"},
    )
    assert response.status_code == 200
    assert not nobody.role_assignments.exists()


def test_role_form_offers_only_the_admins_region(client, admin_52):
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    user_with_role(Role.FEDERATION_STAFF, region_code="11")
    form = client.get(reverse("admin:accounts_roleassignment_add")).context["adminform"].form
    assert set(form.fields["region"].queryset.values_list("code", flat=True)) == {"52"}
    assert set(form.fields["user"].queryset) == {colleague}
    assert set(form.fields["union"].queryset.values_list("region_id", flat=True)) == {"52"}
    assert set(form.fields["partner"].queryset.values_list("region_id", flat=True)) == {"52"}
    assert not form.fields["cpts"].queryset.exclude(region_id="52").exists()


def test_the_inline_role_form_offers_only_the_admins_region(client, admin_52):
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    response = client.get(change_url(colleague))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    form = formset.empty_form
    assert set(form.fields["region"].queryset.values_list("code", flat=True)) == {"52"}
    assert set(form.fields["union"].queryset.values_list("region_id", flat=True)) == {"52"}


def test_autocomplete_offers_no_other_regions_union(client, admin_52):
    url = reverse("admin:autocomplete")
    response = client.get(
        url,
        {
            "app_label": "accounts",
            "model_name": "roleassignment",
            "field_name": "union",
            "term": "",
        },
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids and set(Union.objects.filter(pk__in=ids).values_list("region_id", flat=True)) == {
        "52"
    }


def test_an_admin_cannot_change_their_own_privileges(client, admin_52):
    response = client.get(change_url(admin_52))
    assert response.status_code == 200  # own account readable, not editable
    assert not response.context["has_change_permission"]
    response = client.post(
        change_url(admin_52),
        {
            "email": admin_52.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-0-role": Role.FEDERATION_ADMIN,
            "role_assignments-0-region": "11",
        },
    )
    assert response.status_code == 403
    admin_52.refresh_from_db()
    assert not admin_52.is_superuser
    assert set(admin_52.role_assignments.values_list("region_id", flat=True)) == {"52"}
    own_role = admin_52.role_assignments.get()
    url = reverse("admin:accounts_roleassignment_change", args=[own_role.pk])
    assert client.post(url, {"user": admin_52.pk, "role": Role.FEDERATION_ADMIN}).status_code == (
        403
    )
    delete_url = reverse("admin:accounts_roleassignment_delete", args=[own_role.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin_52.role_assignments.exists()


def test_is_superuser_cannot_be_set_by_a_federation_admin(client, admin_52):
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    role = colleague.role_assignments.get()
    response = client.post(
        change_url(colleague),
        {
            "email": colleague.email,
            "first_name": "Camille",
            "last_name": "Martin",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
            "role_assignments-0-id": role.pk,
            "role_assignments-0-user": colleague.pk,
            "role_assignments-0-role": Role.FEDERATION_STAFF,
            "role_assignments-0-region": "52",
        },
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    colleague.refresh_from_db()
    assert colleague.first_name == "Camille"
    assert not colleague.is_superuser
    # is_staff follows the roles: only federation admins enter the administration.
    assert not colleague.is_staff


def test_the_add_form_creates_the_account_with_a_role_in_the_admins_region(client, admin_52):
    add_url = reverse("admin:accounts_user_add")
    assert client.get(add_url).status_code == 200
    data = {
        "email": "nouvelle@exemple.fr",
        "password1": "Un-mot-de-passe-solide-9",
        "password2": "Un-mot-de-passe-solide-9",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "1",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    # Without a role the account would fall out of the admin's scope at once: refused.
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
    # A role in another region is refused too.
    response = client.post(
        add_url,
        {
            **data,
            "role_assignments-0-role": Role.FEDERATION_STAFF,
            "role_assignments-0-region": "11",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
    response = client.post(
        add_url,
        {
            **data,
            "role_assignments-0-role": Role.FEDERATION_STAFF,
            "role_assignments-0-region": "52",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="nouvelle@exemple.fr")
    assert list(created.role_assignments.values_list("role", "region_id")) == [
        (Role.FEDERATION_STAFF, "52")
    ]
    assert client.get(change_url(created)).status_code == 200


def test_partner_and_union_of_another_region_are_refused_in_the_inline(client, admin_52):
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    role = colleague.role_assignments.get()
    foreign_partner = Partner.objects.filter(region_id="11").first()
    response = client.post(
        change_url(colleague),
        {
            "email": colleague.email,
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-0-id": role.pk,
            "role_assignments-0-user": colleague.pk,
            "role_assignments-0-role": Role.PARTNER,
            "role_assignments-0-region": "52",
            "role_assignments-0-partner": foreign_partner.pk,
        },
    )
    assert response.status_code == 200
    assert not colleague.role_assignments.filter(partner=foreign_partner).exists()


def test_a_federation_admin_cannot_remove_an_accounts_last_role(client, admin_52):
    """Without a role the account would leave every region's scope (superusers only)."""
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    role = colleague.role_assignments.get()
    response = client.post(
        change_url(colleague),
        {
            "email": colleague.email,
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-0-id": role.pk,
            "role_assignments-0-user": colleague.pk,
            "role_assignments-0-role": Role.FEDERATION_STAFF,
            "role_assignments-0-region": "52",
            "role_assignments-0-DELETE": "on",
        },
    )
    assert response.status_code == 200
    assert colleague.role_assignments.exists()


def test_a_superuser_creates_an_account_without_a_role(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "technique@exemple.fr",
            "password1": "Un-mot-de-passe-solide-9",
            "password2": "Un-mot-de-passe-solide-9",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="technique@exemple.fr").exists()
