from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interurps.events import services
from interurps.events.models import Event
from interurps.organizations.models import Federation

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def federation(db):
    return Federation.objects.select_related("region").get(region_id="52")


@pytest.fixture
def make_event(federation):
    """An event starting in `days` days (10 by default), from 9:00 to 17:00 local time."""

    def make(days=10, capacity=None, kind=Event.Kind.SEMINAR, title="Séminaire", **fields):
        day = timezone.localdate() + timedelta(days=days)
        return services.event_create(
            federation=federation,
            kind=kind,
            title=title,
            starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=PARIS),
            ends_at=datetime(day.year, day.month, day.day, 17, tzinfo=PARIS),
            capacity=capacity,
            **fields,
        )

    return make


@pytest.fixture
def event(make_event):
    return make_event(capacity=2, place="Nantes")


def register(event, n, **fields):
    return services.registration_create(
        event=event, full_name=f"Personne {n}", email=f"personne{n}@exemple.fr", **fields
    )
