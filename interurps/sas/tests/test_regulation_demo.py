"""The demo care requests: about 150 over four weeks in 44 and 72, most booked through
`appointment_book` in the slots that exist, deterministic and idempotent."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from interurps.geography.models import Commune, Region
from interurps.sas.models import Appointment, CareRequest, Slot
from interurps.sas.regulation.demo import DEMO_DAYS, sas_demo_requests_load
from interurps.sas.tests.regulation_helpers import effector_create, site_create, slot_create

pytestmark = pytest.mark.django_db


def demo_slots():
    """A few effectors per prefecture of 44 and 72 with slots every two hours over the past
    four weeks and the next two days (what the effectors' demo makes, in small)."""
    now = timezone.now()
    for code in ("44109", "44184", "72181", "72003"):
        commune = Commune.objects.get(code=code)
        for index in range(3):
            site = site_create(
                effector_create(),
                latitude=commune.latitude + index * 0.01,
                longitude=commune.longitude,
                commune_code=code,
            )
            start = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=DEMO_DAYS + 1)
            while start < now + timedelta(days=2):
                if 8 <= timezone.localtime(start).hour < 20:
                    slot_create(site, start=start + timedelta(minutes=20 * index))
                start += timedelta(hours=2)


def snapshot():
    return sorted(
        CareRequest.objects.values_list("called_at", "commune_id", "age_band", "reason", "outcome")
    )


def test_demo_requests_are_realistic_idempotent_and_deterministic():
    region = Region.objects.get(code="52")
    assert sas_demo_requests_load(region=region) == 0  # no slots yet: nothing to regulate
    demo_slots()
    assert sas_demo_requests_load(region=region) == 150
    requests = CareRequest.objects.filter(region=region)
    assert requests.count() == 150
    assert {c[:2] for c in requests.values_list("commune_id", flat=True)} <= {"44", "72"}
    outcomes = Counter(requests.values_list("outcome", flat=True))
    assert outcomes["booked"] > 100
    assert outcomes["advice"] > 0 and outcomes["emergency"] > 0
    assert outcomes["pending"] == 0
    earliest = timezone.now() - timedelta(days=DEMO_DAYS + 1)
    assert all(earliest <= r.called_at <= timezone.now() for r in requests)
    booked = Appointment.objects.filter(care_request__region=region)
    assert booked.count() == outcomes["booked"]
    assert all(a.start >= a.care_request.called_at for a in booked.select_related("care_request"))
    assert sum(Slot.objects.values_list("booked", flat=True)) == booked.count()
    first = snapshot()
    # idempotent
    assert sas_demo_requests_load(region=region) == 0
    assert CareRequest.objects.count() == 150
    # deterministic: the same slots give the same requests
    Appointment.objects.all().delete()
    Slot.objects.update(booked=0)
    CareRequest.objects.all().delete()
    assert sas_demo_requests_load(region=region) == 150
    assert [row[1:] for row in snapshot()] == [row[1:] for row in first]
