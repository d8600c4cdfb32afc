"""`manage.py sas_purge`: dry run by default, wet run deletes the old care requests only,
keeps their appointments, and is idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from interurps.sas.models import Appointment, CareRequest
from interurps.sas.regulation import services
from interurps.sas.tests.regulation_helpers import (
    care_request_create,
    effector_create,
    site_create,
    slot_create,
)

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("sas_purge", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def requests_of_all_ages():
    now = timezone.now()
    old = care_request_create(called_at=now - timedelta(days=400))
    site = site_create(effector_create(), latitude=47.2, longitude=-1.55)
    slot = slot_create(site, start=old.called_at + timedelta(hours=20))
    appointment = services.care_request_book(care_request=old, slot=slot, by=None)
    older = care_request_create(called_at=now - timedelta(days=800))
    recent = care_request_create(called_at=now - timedelta(days=300))
    return old, older, recent, appointment


def test_dry_run_deletes_nothing_and_says_what_it_would(requests_of_all_ages):
    output = purge()
    assert "Simulation : 2 demande(s)" in output
    assert "--wet-run" in output
    assert CareRequest.objects.count() == 3


def test_wet_run_deletes_old_requests_and_keeps_their_appointments(requests_of_all_ages):
    old, older, recent, appointment = requests_of_all_ages
    output = purge("--wet-run")
    assert "count=2" in output
    assert list(CareRequest.objects.all()) == [recent]
    appointment.refresh_from_db()
    assert appointment.care_request is None
    assert Appointment.objects.count() == 1
    # idempotent
    assert "Aucune demande" in purge("--wet-run")
    assert list(CareRequest.objects.all()) == [recent]


def test_days_option_and_setting(requests_of_all_ages):
    assert "3 demande(s)" in purge("--days", "200")
    with override_settings(SAS_CARE_REQUEST_RETENTION_DAYS=1000):
        assert "Aucune demande" in purge()
    with pytest.raises(CommandError, match="--days"):
        purge("--days", "0")
