import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.events import services
from interurps.events.models import Registration
from tests.factories import user_with_role

from .conftest import register

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITING,
    Registration.Status.CANCELLED,
)


def cancel_link(message) -> str:
    match = re.search(r"http://testserver(/inscription/annulation/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_public_registration_sends_a_confirmation_with_the_ics_and_a_cancel_link(
    event, django_capture_on_commit_callbacks
):
    client = Client()
    url = reverse("events:public_register", args=[event.public_token])
    data = {"full_name": "Alice Publique", "email": "alice@exemple.fr", "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@exemple.fr"]
    assert message.subject == f"Inscription confirmée : « {event.title} »"
    assert "est confirmée" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"evenement-{event.pk}.ics"
    assert mimetype == "text/calendar"
    ics = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in ics and f"SUMMARY:{event.title}" in ics
    assert cancel_link(message)


def test_staff_registration_also_confirms_and_waiting_list_gets_no_ics(
    client, event, django_capture_on_commit_callbacks
):
    register(event, 1)
    register(event, 2)  # the event (2 places) is now full
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:registration_create", args=[event.pk]),
            {"full_name": "Bob Attente", "email": "bob@exemple.fr"},
        )
    [message] = mail.outbox
    assert message.to == ["bob@exemple.fr"]
    assert "liste d'attente (position 1)" in message.body
    assert message.attachments == []
    assert cancel_link(message)


def test_registrant_cancels_with_their_link_and_the_waiting_list_moves_up(
    event, django_capture_on_commit_callbacks
):
    first = register(event, 1)
    register(event, 2)
    waiting = register(event, 3)
    token = services.registration_cancel_token(first)
    url = reverse("events:registration_self_cancel", args=[token])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Oui, annuler mon inscription" in page.text
    first.refresh_from_db()
    assert first.status == CONFIRMED  # a GET changes nothing
    csrf = page.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert "Votre inscription est annulée" in response.text
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == (CANCELLED, CONFIRMED)
    [promotion] = mail.outbox
    assert promotion.to == ["personne3@exemple.fr"]
    # The promoted person gets their own cancellation link, which works in turn.
    assert cancel_link(promotion) == reverse(
        "events:registration_self_cancel", args=[services.registration_cancel_token(waiting)]
    )
    # The link is single-use.
    again = client.post(url, {"csrfmiddlewaretoken": csrf})
    assert "déjà annulée" in again.text


@pytest.mark.parametrize("token", ["abc", "eyJyIjoxfQ:1:forged", "x" * 300, "%00", "a:b:c:d"])
def test_forged_or_broken_cancel_links_are_refused(client, event, token):
    first = register(event, 1)
    response = client.post(f"/inscription/annulation/{token}/")
    if token == "%00":  # refused before the view by the NUL-byte guard
        assert response.status_code == 400
        assert "caractère nul" in response.text
    else:
        assert response.status_code == 404
        assert "pas valide" in response.text
    first.refresh_from_db()
    assert first.status == CONFIRMED


def test_a_link_for_another_address_or_a_started_event_does_not_cancel(event, make_event):
    first = register(event, 1)
    token = services.registration_cancel_token(first)
    Registration.objects.filter(pk=first.pk).update(email="autre@exemple.fr")
    with pytest.raises(ValidationError, match="pas valide"):
        services.registration_cancel_by_registrant(token=token)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="a commencé"):
        services.registration_cancel_by_registrant(
            token=services.registration_cancel_token(first),
            now=event.starts_at + timedelta(minutes=1),
        )
    first.refresh_from_db()
    assert first.status == CONFIRMED
    assert event.starts_at > timezone.now()
