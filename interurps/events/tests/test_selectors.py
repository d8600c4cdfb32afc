from datetime import timedelta

import pytest

from interurps.accounts.models import Role
from interurps.events import selectors, services
from interurps.events.models import Event
from tests.factories import user_with_role

from .conftest import paris

pytestmark = pytest.mark.django_db


def _event(federation, kind, starts_at, hours=1, title="Événement"):
    return services.event_create(
        federation=federation,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
    )


def test_counts_by_kind_use_the_local_year_and_skip_cancelled_events(federation):
    _event(federation, Event.Kind.VIDEO_BREAK, paris(2021, 1, 8, 12, 30))
    _event(federation, Event.Kind.VIDEO_BREAK, paris(2021, 3, 10, 12, 30))
    _event(federation, Event.Kind.SEMINAR, paris(2021, 11, 23, 9))
    # 00:30 on 1 January 2022 in Paris is still 2021 in UTC: it counts for 2022.
    _event(federation, Event.Kind.WEBINAR, paris(2022, 1, 1, 0, 30))
    cancelled = _event(federation, Event.Kind.WEBINAR, paris(2021, 6, 1, 18))
    services.event_cancel(event=cancelled)

    counts = selectors.events_count_by_kind(federation, 2021)
    assert [(c.kind, c.count) for c in counts] == [("seminaire", 1), ("pause_visio", 2)]
    assert [c.label for c in counts] == ["1 séminaire", "2 pauses visio"]
    assert [(c.kind, c.count) for c in selectors.events_count_by_kind(federation, 2022)] == [
        ("webinaire", 1)
    ]
    table = selectors.events_counts_by_year(federation)
    assert [(row.year, row.total) for row in table] == [(2022, 1), (2021, 3)]


def test_calendar_entries(federation):
    seminar = _event(
        federation, Event.Kind.SEMINAR, paris(2021, 11, 23, 9), hours=8, title="Séminaire"
    )
    _event(federation, Event.Kind.WEBINAR, paris(2021, 12, 16, 14))
    entries = selectors.calendar_entries(
        region=federation.region, start=paris(2021, 11, 1), end=paris(2021, 12, 1)
    )
    assert len(entries) == 1
    entry = entries[0]
    assert entry.uid == f"event-{seminar.pk}@interurps"
    assert entry.category == "evenement"
    assert entry.category_label == "Événement"
    assert entry.kind_label == "Séminaire"
    assert entry.url == f"/evenements/{seminar.pk}/"
    assert entry.start == seminar.starts_at and entry.end == seminar.ends_at

    services.event_cancel(event=seminar)
    entries = selectors.calendar_entries(
        region="52", start=paris(2021, 11, 1), end=paris(2022, 1, 1)
    )
    assert [e.title for e in entries] == ["Annulé : Séminaire", "Événement"]

    other_region = user_with_role(Role.FEDERATION_ADMIN, region_code="11")
    partner = user_with_role(Role.PARTNER)
    window = {"region": "52", "start": paris(2021, 1, 1), "end": paris(2022, 1, 1)}
    assert selectors.calendar_entries(user=other_region, **window) == []
    assert len(selectors.calendar_entries(user=partner, **window)) == 2
