"""Many people registering at once through the public link, on SQLite and PostgreSQL.

The requests run in threads, each with its own database connection, against committed
data (a transactional test): no server error, no registration beyond the capacity, the
others on the waiting list.
"""

import threading
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from interurps.events import services
from interurps.events.models import Registration
from interurps.organizations.models import Federation

from .conftest import PARIS

PEOPLE = 24
CAPACITY = 7


@pytest.fixture
def reference_data(transactional_db, small_geography_source):
    # Transactional tests flush the database after them: reload what this one needs.
    call_command("import_geography", source=small_geography_source, if_empty=True, verbosity=0)
    call_command("create_organizations", verbosity=0)


def register_at_once(url: str, people: int) -> list:
    barrier = threading.Barrier(people)
    outcomes = [None] * people

    def register(n):
        client = Client(raise_request_exception=False)
        try:
            barrier.wait(timeout=60)
            response = client.post(
                url,
                {
                    "full_name": f"Personne {n}",
                    "email": f"personne{n}@exemple.fr",
                    "consent": "on",
                },
            )
            outcomes[n] = response.status_code
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_public_registrations_never_overbook(reference_data):
    day = timezone.localdate() + timedelta(days=10)
    event = services.event_create(
        federation=Federation.objects.get(region_id="52"),
        kind="seminaire",
        title="Séminaire très demandé",
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=PARIS),
        ends_at=datetime(day.year, day.month, day.day, 17, tzinfo=PARIS),
        capacity=CAPACITY,
    )
    outcomes = register_at_once(event.get_public_url(), PEOPLE)

    assert outcomes == [302] * PEOPLE  # every one registered or waiting, no error
    statuses = list(event.registrations.values_list("status", flat=True))
    assert len(statuses) == PEOPLE
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Registration.Status.WAITING) == PEOPLE - CAPACITY
