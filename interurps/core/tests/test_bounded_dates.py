"""Every date typed in a form is bounded to 1900–2100, with a French message."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import interurps
from interurps.accounts.models import Role
from interurps.core.dates import OUT_OF_RANGE_MESSAGE, parse_iso_date, parse_year
from interurps.core.forms import BoundedDatesMixin, BoundedForm
from tests.factories import user_with_role

DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def _project_form_classes():
    for module_info in pkgutil.walk_packages(interurps.__path__, "interurps."):
        if ".tests" in module_info.name or ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("interurps."):
                yield value
    from interurps.cpts.forms import RELATED_FORMS

    for form, _title in RELATED_FORMS.values():
        yield form


def test_every_project_form_with_a_date_is_bounded():
    """A new form with a date field that forgets the bound fails here."""
    unbounded = sorted(
        {
            f"{form.__module__}.{form.__name__}"
            for form in _project_form_classes()
            if any(isinstance(f, DATE_FIELDS) for f in form.base_fields.values())
            and not issubclass(form, BoundedDatesMixin)
        }
    )
    assert unbounded == []


class _Sample(BoundedForm):
    day = forms.DateField()
    moment = forms.DateTimeField()


@pytest.mark.parametrize(
    ("day", "moment"), [("9999-12-31", "2026-01-01 10:00"), ("2026-01-01", "0001-01-01 10:00")]
)
def test_out_of_range_dates_are_refused_with_the_french_message(day, moment):
    form = _Sample({"day": day, "moment": moment})
    assert not form.is_valid()
    assert OUT_OF_RANGE_MESSAGE in str(form.errors)


def test_dates_at_the_edges_are_accepted():
    assert _Sample({"day": "1900-01-01", "moment": "2100-12-31 23:59"}).is_valid()


def test_parsers_refuse_what_int_and_fromisoformat_would_choke_on():
    assert parse_year("²") is None
    assert parse_year("٣٣٣٣", 2026) == 2026
    assert parse_year("9999") is None
    assert parse_year("2100") == 2100
    assert parse_iso_date("9999-12-31") is None
    assert parse_iso_date("20260101") is None
    assert parse_iso_date("2026-01-01") is not None


@pytest.mark.django_db
class TestFormsRefuseYear9999:
    """One form of each kind: a plain form, a model form, a datetime-local, a quick entry."""

    def _post(self, client, role, url, data):
        client.force_login(user_with_role(role))
        response = client.post(url, data)
        assert response.status_code == 200  # the form again, not a redirect nor a 500
        assert OUT_OF_RANGE_MESSAGE in response.content.decode()
        return response

    def test_meeting_quick_entry(self, client):
        from interurps.activities import services
        from interurps.activities.models import Meeting
        from interurps.organizations.models import Federation

        federation = Federation.objects.get(region_id="52")
        services.meeting_kinds_ensure(federation=federation)
        kind = federation.meeting_kinds.first()
        self._post(
            client,
            Role.FEDERATION_STAFF,
            reverse("activities:meeting_list", args=["52"]),
            {
                "day": "9999-12-31",
                "time": "10:00",
                "duration_minutes": 60,
                "kind": kind.pk,
                "project": "sas",
                "title": "Réunion",
            },
        )
        assert not Meeting.objects.exists()

    def test_meeting_form_datetime(self, client):
        from interurps.activities.models import Meeting

        self._post(
            client,
            Role.FEDERATION_STAFF,
            reverse("activities:meeting_create", args=["52"]),
            {"title": "Réunion", "starts_at": "9999-12-31T10:00", "duration_minutes": 60},
        )
        assert not Meeting.objects.exists()

    def test_event_model_form(self, client):
        from interurps.events.models import Event

        self._post(
            client,
            Role.FEDERATION_STAFF,
            reverse("events:event_create", args=["52"]),
            {"title": "Colloque", "starts_at": "9999-01-01T09:00", "ends_at": "9999-01-01T17:00"},
        )
        assert not Event.objects.exists()

    def test_election_plain_form(self, client):
        from interurps.elections.models import Election
        from interurps.organizations.models import Union

        union = Union.objects.get(region_id="52", profession_id="infirmiers")
        self._post(
            client,
            Role.FEDERATION_ADMIN,
            reverse("elections:union", args=[union.pk]),
            {"held_on": "9999-04-01"},
        )
        assert not Election.objects.exists()
