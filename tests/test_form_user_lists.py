"""Every form field that offers accounts offers only accounts of the form's region.

The forms are found by scanning each app's `forms` module, so a new form offering users is
checked without writing a test; one that cannot be built for a region fails here.
"""

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import interurps
from interurps.accounts.models import Role, User
from interurps.organizations.models import Federation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def user_fields():
    found = []
    for info in pkgutil.iter_modules(interurps.__path__):
        try:
            module = importlib.import_module(f"interurps.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if (
                not issubclass(form_class, forms.BaseForm)
                or form_class.__module__ != module.__name__
            ):
                continue
            for field_name, field in form_class.base_fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is not None and queryset.model is User:
                    found.append((form_class, field_name))
    return found


FIELDS = user_fields()


def test_the_scan_finds_the_forms_offering_accounts():
    names = {f"{form.__module__}.{form.__name__}.{field}" for form, field in FIELDS}
    assert "interurps.activities.forms.MeetingForm.participant_users" in names
    assert "interurps.governance.forms.StaffMemberForm.user" in names
    assert len(names) >= 8


@pytest.mark.parametrize(
    ("form_class", "field_name"),
    FIELDS,
    ids=[f"{form.__name__}.{field}" for form, field in FIELDS],
)
def test_accounts_offered_belong_to_the_region(form_class, field_name):
    federation = Federation.objects.select_related("region").get(region_id="52")
    here = {role: user_with_role(role) for role in (Role.FEDERATION_STAFF, Role.FEDERATION_ADMIN)}
    elsewhere = [
        user_with_role(Role.FEDERATION_STAFF, region_code="11"),
        user_with_role(Role.FEDERATION_ADMIN, region_code="11"),
        User.objects.create_superuser(email="technique@exemple.fr"),
        User.objects.create_user(email="sans-role@exemple.fr"),
    ]
    parameters = inspect.signature(form_class.__init__).parameters
    if "federation" in parameters:
        form = form_class(federation=federation)
    elif "region" in parameters:
        form = form_class(region=federation.region)
    else:
        pytest.fail(f"{form_class.__name__} offers accounts but is not built for a region")
    offered = set(form.fields[field_name].queryset)
    assert offered, f"{form_class.__name__}.{field_name} offers nobody"
    assert offered <= set(User.objects.filter(role_assignments__region_id="52"))
    assert here[Role.FEDERATION_STAFF] in offered
    assert not offered & set(elsewhere)
