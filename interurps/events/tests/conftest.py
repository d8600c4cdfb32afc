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
    """An event starting in `days` days (10 by default), from 9:00 to 17:00 local time;
    with `days=0`, one under way: from an hour ago to two hours from now (whatever the
    time of day the tests run at)."""

    def make(days=10, capacity=None, kind=Event.Kind.SEMINAR, title="Séminaire", **fields):
        day = timezone.localdate() + timedelta(days=days)
        starts_at = datetime(day.year, day.month, day.day, 9, tzinfo=PARIS)
        ends_at = datetime(day.year, day.month, day.day, 17, tzinfo=PARIS)
        if days == 0:
            now = timezone.now().replace(second=0, microsecond=0)
            starts_at, ends_at = now - timedelta(hours=1), now + timedelta(hours=2)
        return services.event_create(
            federation=federation,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
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
