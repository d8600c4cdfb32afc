from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from interurps.events import selectors, services
from interurps.events.models import Registration

from .conftest import paris, register

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITING,
    Registration.Status.CANCELLED,
)


def test_beyond_capacity_registrations_go_on_the_waiting_list_with_their_position(event):
    first, second, third, fourth = (register(event, n) for n in range(4))
    assert [r.status for r in (first, second, third, fourth)] == [
        CONFIRMED,
        CONFIRMED,
        WAITING,
        WAITING,
    ]
    assert selectors.waiting_position(third) == 1
    assert selectors.waiting_position(fourth) == 2
    assert selectors.waiting_position(first) is None
    assert "liste d'attente, en position 2" in selectors.registration_message(fourth)
    assert selectors.places(event).label == "2 inscrit·es sur 2, 2 en liste d'attente"


def test_cancelling_a_confirmed_place_promotes_the_first_waiting_and_emails_them(
    event, django_capture_on_commit_callbacks
):
    first, _, third, fourth = (register(event, n) for n in range(4))
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first)
    assert promoted == [third]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == (CONFIRMED, WAITING)
    assert selectors.waiting_position(fourth) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["personne2@exemple.fr"]
    assert "Une place s'est libérée" in message.subject
    assert "votre inscription est désormais confirmée" in message.body
    assert "http://testserver/inscription/" in message.body


def test_cancelling_a_waiting_registration_promotes_no_one(
    event, django_capture_on_commit_callbacks
):
    for n in range(3):
        register(event, n)
    waiting = event.registrations.get(status=WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(registration=waiting) == []
    assert mail.outbox == []
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.registration_cancel(registration=waiting)


def test_no_promotion_once_the_event_is_cancelled(event, django_capture_on_commit_callbacks):
    first, _, waiting = (register(event, n) for n in range(3))
    services.event_cancel(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(registration=first) == []
    waiting.refresh_from_db()
    assert waiting.status == WAITING
    assert mail.outbox == []


def test_raising_capacity_promotes_in_order_and_lowering_below_registrations_is_refused(
    event, django_capture_on_commit_callbacks
):
    for n in range(5):
        register(event, n)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=event, data={"capacity": 3})
    assert [m.to for m in mail.outbox] == [["personne2@exemple.fr"]]
    with pytest.raises(ValidationError) as error:
        services.event_update(event=event, data={"capacity": 1})
    assert "capacity" in error.value.error_dict


def test_duplicate_registration_is_refused_but_allowed_again_after_cancellation(event):
    first = register(event, 1)
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, full_name="Autre", email=" PERSONNE1@exemple.fr ")
    assert "déjà inscrite" in error.value.message_dict["email"][0]
    services.registration_cancel(registration=first)
    again = register(event, 1)
    assert again.status == CONFIRMED


def test_unlimited_capacity(make_event):
    event = make_event(capacity=None)
    for n in range(5):
        assert register(event, n).status == CONFIRMED
    assert selectors.places(event).label == "5 inscrit·es (places illimitées)"


def test_closed_registration_refuses_the_public_link_only(make_event):
    event = make_event(registration_open=False)
    with pytest.raises(ValidationError, match="closes"):
        register(event, 1, public=True)
    assert register(event, 2).status == CONFIRMED  # staff may still add someone


def test_cancelled_event_refuses_registrations(event):
    services.event_cancel(event=event)
    for public in (True, False):
        with pytest.raises(ValidationError, match="annulé"):
            register(event, 1, public=public)


def test_past_event_refuses_registrations(make_event):
    event = make_event(days=-3)
    for public in (True, False):
        with pytest.raises(ValidationError, match="passé"):
            register(event, 1, public=public)


def test_started_event_takes_walk_ins_from_staff_only(event):
    during = event.starts_at + timedelta(hours=1)
    with pytest.raises(ValidationError, match="a commencé"):
        register(event, 1, public=True, now=during)
    assert register(event, 2, now=during).status == CONFIRMED


def test_check_in_only_confirmed_and_from_the_event_day(event):
    confirmed, _, waiting = (register(event, n) for n in range(3))
    the_day_before = event.starts_at - timedelta(days=1)
    with pytest.raises(ValidationError, match="à partir du jour"):
        services.registration_check_in(registration=confirmed, now=the_day_before)
    early_that_morning = event.starts_at.replace(hour=5)  # the same day, before the start
    checked = services.registration_check_in(registration=confirmed, now=early_that_morning)
    assert checked.attended and checked.checked_in_at == early_that_morning
    with pytest.raises(ValidationError, match="inscription confirmée"):
        services.registration_check_in(registration=waiting, now=event.starts_at)
    with pytest.raises(ValidationError, match="présence de cette personne est enregistrée"):
        services.registration_cancel(registration=checked)


def test_certificate_numbers_are_sequential_and_kept(event):
    first, second = register(event, 1), register(event, 2)
    on_the_day = event.starts_at
    first = services.registration_check_in(registration=first, now=on_the_day)
    second = services.registration_check_in(registration=second, now=on_the_day)
    year = event.starts_on.year
    assert first.certificate_number == f"{year}-{event.pk:04d}-001"
    assert second.certificate_number == f"{year}-{event.pk:04d}-002"
    services.certificate_check(first)
    first = services.registration_check_in_undo(registration=first)
    with pytest.raises(ValidationError, match="pas d'attestation"):
        services.certificate_check(first)
    first = services.registration_check_in(registration=first, now=on_the_day)
    assert first.certificate_number == f"{year}-{event.pk:04d}-001"


def test_email_to_registrants(event):
    for n in range(3):
        register(event, n)
    sent = services.event_email_registrants(event=event, subject="Programme", body="Bonjour")
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["personne0@exemple.fr", "personne1@exemple.fr"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    mail.outbox.clear()
    sent = services.event_email_registrants(
        event=event, subject="Programme", body="Bonjour", include_waiting_list=True
    )
    assert sent == 3
    with pytest.raises(ValidationError) as error:
        services.event_email_registrants(event=event, subject=" ", body="")
    assert set(error.value.error_dict) == {"subject", "body"}


def test_programme_items_must_lie_within_the_event(event):
    with pytest.raises(ValidationError) as error:
        services.programme_item_create(
            event=event, title="Hors horaires", starts_at=event.starts_at - timedelta(hours=1)
        )
    assert "starts_at" in error.value.error_dict
    first = services.programme_item_create(event=event, title="Ouverture")
    second = services.programme_item_create(event=event, title="Table ronde")
    assert (first.order, second.order) == (1, 2)


def test_event_end_must_follow_start(federation):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            federation=federation,
            kind="webinaire",
            title="Webinaire",
            starts_at=paris(2021, 12, 16, 14),
            ends_at=paris(2021, 12, 16, 13),
        )
    assert "ends_at" in error.value.error_dict


def test_mark_held_and_cancel(event):
    with pytest.raises(ValidationError, match="avant d'avoir commencé"):
        services.event_mark_held(event=event)
    services.event_mark_held(event=event, now=event.ends_at)
    with pytest.raises(ValidationError, match="Seul un événement prévu"):
        services.event_cancel(event=event)
    assert timezone.now() < event.starts_at
