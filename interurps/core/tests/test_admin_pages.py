"""Every page of every registered ModelAdmin opens, for a superuser and a federation admin.

The list is read from `admin.site._registry`, so a new ModelAdmin is covered without a new
test; it only needs a stored object (see `admin_objects`) and, for the federation admin, a
line in FEDERATION_ADMIN_ACCESS.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.cpts.models import Cpts
from interurps.geography.models import Department
from interurps.professionals.models import PracticeSite, Professional, RegistryImport
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

# What a federation admin may do on each registered model: the changelist and change page
# answer 200 when they may read, the add page 200 when they may add; 403 otherwise.
READ, READ_ADD, NONE = "read", "read+add", "none"
FEDERATION_ADMIN_ACCESS = {
    "auth.Group": NONE,
    "axes.AccessAttempt": NONE,
    "axes.AccessLog": NONE,
    "axes.AccessFailureLog": NONE,
    "auditlog.LogEntry": NONE,
    "accounts.User": READ_ADD,
    "accounts.RoleAssignment": READ_ADD,
    "organizations.Profession": READ,
    "organizations.Federation": READ,
    "organizations.Union": READ,
    "organizations.Partner": READ_ADD,
    "geography.Region": READ,
    "geography.Department": READ,
    "geography.Epci": READ,
    "geography.Commune": READ,
    "cpts.Cpts": READ,
    "professionals.Professional": NONE,
    "professionals.RegistryImport": NONE,
}


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_objects(db):
    """At least one object of every registered model, in region 52 where it has a region."""
    department = Department.objects.filter(region_id="52").order_by("code").first()
    Cpts.objects.create(name="CPTS du test", region_id="52", main_department=department)
    professional = Professional.objects.create(
        identifier="10000000001",
        identifier_kind="rpps",
        source="annuaire",
        profession_id="infirmiers",
        last_name="Nom",
        first_name="Prénom",
        search_name="nom prénom",
    )
    PracticeSite.objects.create(professional=professional, commune_id="44109", mode="liberal")
    RegistryImport.objects.create(source="annuaire", professionals=1)
    Group.objects.create(name="Groupe du test")
    access = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "x@exemple.fr"}
    AccessAttempt.objects.create(
        **access, get_data="", post_data="", failures_since_start=1, http_accept="*/*"
    )
    AccessLog.objects.create(**access, http_accept="*/*", path_info="/")
    AccessFailureLog.objects.create(**access, http_accept="*/*", path_info="/")
    user_with_role(Role.FEDERATION_STAFF, region_code="52")
    user_with_role(Role.UNION_MEMBER, region_code="52")


def object_for(model_admin, user):
    """An object the user's admin lists, or any object when the user may not read the model."""
    request = RequestFactory().get("/")
    request.user = user
    model = model_admin.model
    if model_admin.has_view_permission(request):
        obj = model_admin.get_queryset(request).order_by("pk").first()
    else:
        obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no stored {model._meta.label} to open: add one in admin_objects"
    return obj


def test_every_registered_model_has_a_federation_admin_policy():
    labels = {model._meta.label for model, _ in registered()}
    assert labels == set(FEDERATION_ADMIN_ACCESS)


@pytest.mark.parametrize("label", sorted(FEDERATION_ADMIN_ACCESS))
def test_every_admin_page_opens_for_a_superuser(client, admin_objects, label):
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    model, model_admin = next(item for item in registered() if item[0]._meta.label == label)
    obj = object_for(model_admin, root)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    request = RequestFactory().get("/")
    request.user = root
    expected_add = 200 if model_admin.has_add_permission(request) else 403
    assert client.get(admin_url(model, "add")).status_code == expected_add


@pytest.mark.parametrize("label", sorted(FEDERATION_ADMIN_ACCESS))
def test_every_admin_page_opens_for_a_federation_admin(client, admin_objects, label):
    federation_admin = user_with_role(Role.FEDERATION_ADMIN, region_code="52")
    client.force_login(federation_admin)
    model, model_admin = next(item for item in registered() if item[0]._meta.label == label)
    obj = object_for(model_admin, federation_admin)
    access = FEDERATION_ADMIN_ACCESS[label]
    read = 200 if access in (READ, READ_ADD) else 403
    add = 200 if access == READ_ADD else 403
    assert client.get(admin_url(model, "changelist")).status_code == read
    assert client.get(admin_url(model, "change", obj.pk)).status_code == read
    assert client.get(admin_url(model, "add")).status_code == add


def test_a_federation_admin_opens_an_in_scope_users_password_page(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN, region_code="52"))
    colleague = user_with_role(Role.FEDERATION_STAFF, region_code="52")
    url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    assert client.get(url).status_code == 200


def test_a_superuser_opens_any_users_password_page(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("admin:auth_user_password_change", args=[UserFactory().pk])
    assert client.get(url).status_code == 200
