"""A slot is never booked twice, even when regulators book it at the same instant: 20
threads, each with its own database connection, book the same slot at once through
`booking.appointment_book` (half of them through the regulation's service)."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from interurps.geography.models import Commune, Department, Region
from interurps.sas.booking import SlotUnavailable, appointment_book
from interurps.sas.models import (
    Appointment,
    CareRequest,
    Effector,
    ParticipationMode,
    Site,
    Slot,
    Structure,
    StructureKind,
)
from interurps.sas.regulation import services

THREADS = 20

# On both databases: PostgreSQL runs the threads' updates concurrently (row locks), SQLite
# (a file in WAL mode with immediate transactions, config/settings/test.py) one at a time;
# either way exactly one of them may take the place.
pytestmark = [pytest.mark.django_db(transaction=True)]


def reference():
    """The region, department and commune the test needs (a transactional test may run
    after another one that flushed the session's reference data)."""
    region, _ = Region.objects.get_or_create(code="52", defaults={"name": "Pays de la Loire"})
    department, _ = Department.objects.get_or_create(
        code="44", defaults={"name": "Loire-Atlantique", "region": region}
    )
    commune, _ = Commune.objects.get_or_create(
        code="44109",
        defaults={"name": "Nantes", "department": department, "latitude": 47.23},
    )
    return region, commune


def test_twenty_regulators_booking_one_slot_at_once_get_one_appointment():
    region, commune = reference()
    structure = Structure.objects.create(
        region=region, kind=StructureKind.MSP, name="MSP de la course"
    )
    effector = Effector.objects.create(
        region=region, structure=structure, participation_mode=ParticipationMode.MSP
    )
    site = Site.objects.create(
        effector=effector, name="MSP", commune=commune, latitude=47.2, longitude=-1.55
    )
    start = timezone.now() + timedelta(hours=5)
    slot = Slot.objects.create(
        effector=effector, site=site, start=start, end=start + timedelta(minutes=20), shared=True
    )
    care_requests = [
        CareRequest.objects.create(
            region=region,
            called_at=timezone.now(),
            commune=commune,
            age_band="18-59",
            reason="fever",
        )
        for _ in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()

    def book(index):
        try:
            barrier.wait(timeout=30)
            own = Slot.objects.get(pk=slot.pk)  # each thread reads the slot: free
            if index % 2:
                appointment_book(slot=own, care_request=care_requests[index])
            else:
                services.care_request_book(care_request=care_requests[index], slot=own, by=None)
            result = "booked"
        except SlotUnavailable:
            result = "unavailable"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["unavailable"] * (THREADS - 1)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Appointment.objects.filter(slot=slot).count() == 1
    booked = CareRequest.objects.filter(outcome=CareRequest.Outcome.BOOKED)
    assert booked.count() == 1
