from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.events import selectors
from interurps.events.demo import SEMINAR_TITLE, UPCOMING_TITLE, events_demo_load
from interurps.events.models import Event, ProgrammeItem, Registration, Speaker
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def snapshot(federation):
    return [
        Event.objects.filter(federation=federation).count(),
        ProgrammeItem.objects.filter(event__federation=federation).count(),
        Speaker.objects.filter(programme_item__event__federation=federation).count(),
        Registration.objects.filter(event__federation=federation).count(),
    ]


def test_demo_is_idempotent_and_follows_the_2021_report(client, federation):
    events_demo_load(federation=federation)
    first = snapshot(federation)
    events_demo_load(federation=federation)
    assert snapshot(federation) == first

    counts = {c.kind: c.count for c in selectors.events_count_by_kind(federation, 2021)}
    assert counts == {
        "seminaire": 1,
        "webinaire": 1,
        "pause_visio": 4,
        "journee_regionale": 3,
    }
    pauses = Event.objects.filter(federation=federation, kind="pause_visio", starts_at__year=2021)
    assert sorted(e.starts_on for e in pauses) == [
        date(2021, 1, 8),
        date(2021, 2, 12),
        date(2021, 3, 10),
        date(2021, 12, 17),
    ]
    assert pauses.get(starts_at__month=3).topic == "Présentation de DNUT"
    days = Event.objects.filter(federation=federation, kind="journee_regionale")
    assert sorted(e.starts_on for e in days) == [
        date(2021, 3, 31),
        date(2021, 6, 15),
        date(2021, 10, 7),
    ]
    assert days.get(starts_at__month=10).place == "Le Mans"

    seminar = Event.objects.get(federation=federation, kind="seminaire")
    assert seminar.topic == SEMINAR_TITLE
    assert seminar.starts_on == date(2021, 11, 23)
    assert seminar.status == Event.Status.HELD
    round_tables = list(seminar.programme.filter(kind="table_ronde").order_by("order"))
    assert len(round_tables) == 5
    assert [rt.speakers.count() for rt in round_tables] == [2, 2, 6, 5, 5]
    assert seminar.programme.filter(kind="atelier").count() == 3
    assert (
        Speaker.objects.filter(programme_item__event=seminar, full_name="Thomas BOUVIER").count()
        == 3
    )

    # Registrations are fictitious; the attended ones have a certificate number.
    registrations = Registration.objects.filter(event__federation=federation)
    assert all(r.email.endswith("@exemple.fr") for r in registrations)
    attended = seminar.registrations.filter(attended=True)
    assert attended.exists() and all(r.certificate_number for r in attended)

    upcoming = Event.objects.get(federation=federation, title=UPCOMING_TITLE)
    places = selectors.places(upcoming)
    assert (places.confirmed, places.waiting) == (10, 2)

    client.force_login(user_with_role(Role.PARTNER))
    page = client.get(reverse("events:event_detail", args=[seminar.pk])).text
    assert "Jean-Jacques COIPLET" in page
    assert "Démocratie en santé" in page
