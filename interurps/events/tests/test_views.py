import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from interurps.accounts.models import Role
from interurps.events import services
from interurps.events.models import Event, Registration
from tests.factories import user_with_role

from .conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return user_with_role(Role.FEDERATION_STAFF)


@pytest.fixture
def full_event(event):
    services.programme_item_create(event=event, kind="table_ronde", title="Numérique")
    item = event.programme.get()
    services.speaker_create(
        programme_item=item, full_name="Jeanne Intervenante", role="Présidente de l'URPS"
    )
    for n in range(3):
        register(event, n, organisation="CPTS Pays de Retz")
    return event


def read_urls(event):
    return [
        reverse("events:event_list", args=["52"]),
        reverse("events:event_detail", args=[event.pk]),
        reverse("events:event_ics", args=[event.pk]),
    ]


def write_urls(event):
    item = event.programme.first()
    registration = event.registrations.first()
    return [
        reverse("events:event_create", args=["52"]),
        reverse("events:event_edit", args=[event.pk]),
        reverse("events:programme_item_create", args=[event.pk]),
        reverse("events:programme_item_edit", args=[item.pk]),
        reverse("events:speaker_create", args=[item.pk]),
        reverse("events:speaker_edit", args=[item.speakers.first().pk]),
        reverse("events:registration_create", args=[event.pk]),
        reverse("events:participants_csv", args=[event.pk]),
        reverse("events:participants_xlsx", args=[event.pk]),
        reverse("events:event_email", args=[event.pk]),
        reverse("events:certificate", args=[registration.pk]),
    ]


def post_only_urls(event):
    registration = event.registrations.first()
    item = event.programme.first()
    return [
        reverse("events:event_cancel", args=[event.pk]),
        reverse("events:event_mark_held", args=[event.pk]),
        reverse("events:programme_item_delete", args=[item.pk]),
        reverse("events:speaker_delete", args=[item.speakers.first().pk]),
        reverse("events:registration_cancel", args=[registration.pk]),
        reverse("events:registration_check_in", args=[registration.pk]),
        reverse("events:registration_check_in_undo", args=[registration.pk]),
    ]


@pytest.mark.parametrize("role", [Role.PARTNER, Role.UNION_MEMBER, Role.CPTS_COORDINATOR])
def test_read_only_roles_read_but_do_not_write(client, full_event, role):
    client.force_login(user_with_role(role))
    for url in read_urls(full_event):
        assert client.get(url).status_code == 200, url
    for url in write_urls(full_event):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    for url in post_only_urls(full_event):
        assert client.post(url).status_code == 403, url
    page = client.get(reverse("events:event_detail", args=[full_event.pk])).text
    assert "Jeanne Intervenante" in page
    assert "3 inscrit·es sur 2" not in page
    assert "2 inscrit·es sur 2, 1 en liste d&#x27;attente" in page
    assert "personne0@exemple.fr" not in page  # registrants are staff-only


def test_other_region_gets_403(client, full_event):
    for role in (Role.FEDERATION_ADMIN, Role.PARTNER):
        client.force_login(user_with_role(role, region_code="11"))
        for url in read_urls(full_event) + write_urls(full_event):
            assert client.get(url).status_code == 403, url
        for url in post_only_urls(full_event):
            assert client.post(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, full_event):
    for url in read_urls(full_event) + write_urls(full_event):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/" in response.url, url


def test_staff_creates_an_event_with_programme_and_speaker(client, staff):
    client.force_login(staff)
    assert client.get(reverse("events:event_create", args=["52"])).status_code == 200
    response = client.post(
        reverse("events:event_create", args=["52"]),
        {
            "kind": "journee_regionale",
            "title": "Journée régionale des coordinateurs",
            "starts_at": "2031-10-07T09:30",
            "ends_at": "2031-10-07T16:30",
            "place": "Le Mans",
            "audience": "coordinateurs de CPTS",
            "capacity": "30",
            "registration_open": "on",
        },
    )
    event = Event.objects.get(title="Journée régionale des coordinateurs")
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert timezone.localtime(event.starts_at).hour == 9
    response = client.post(
        reverse("events:programme_item_create", args=[event.pk]),
        {
            "kind": "session",
            "title": "Présentation du SAS",
            "starts_at": "2031-10-07T10:00",
            "ends_at": "2031-10-07T11:00",
        },
    )
    assert response.status_code == 302
    item = event.programme.get()
    response = client.post(
        reverse("events:speaker_create", args=[item.pk]),
        {"full_name": "Jean Exemple", "role": "Chargé de mission SAS"},
    )
    assert response.status_code == 302
    page = client.get(event.get_absolute_url()).text
    assert "Présentation du SAS" in page and "Jean Exemple" in page
    assert "0 inscrit·e sur 30" in page
    # A programme item outside the event's hours is refused on the form.
    response = client.post(
        reverse("events:programme_item_create", args=[event.pk]),
        {"kind": "session", "title": "Trop tard", "starts_at": "2031-10-07T18:00"},
    )
    assert response.status_code == 200
    assert "compris dans ceux de" in response.text


def test_staff_registers_and_sees_waiting_list_message(client, staff, event):
    client.force_login(staff)
    url = reverse("events:registration_create", args=[event.pk])
    for n in range(3):
        response = client.post(
            url, {"full_name": f"Personne {n}", "email": f"p{n}@exemple.fr"}, follow=True
        )
    assert "liste d&#x27;attente, en position 1" in response.text
    response = client.post(url, {"full_name": "Doublon", "email": "P0@exemple.fr"})
    assert response.status_code == 200
    assert "déjà inscrite" in response.text


def test_ics_download(client, staff, event):
    client.force_login(staff)
    response = client.get(reverse("events:event_ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "InterURPS" in str(calendar["PRODID"])
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 1
    vevent = vevents[0]
    assert str(vevent["UID"]) == f"event-{event.pk}@interurps"
    assert str(vevent["SUMMARY"]) == "Séminaire"
    assert str(vevent["LOCATION"]) == "Nantes"
    assert str(vevent["URL"]).endswith(f"/evenements/{event.pk}/")
    start = vevent.decoded("DTSTART")
    assert start.utcoffset() == timedelta(0)
    assert start == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert "DTSTAMP" in vevent
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content


def test_participants_csv_and_excel(client, staff, full_event):
    client.force_login(staff)
    response = client.get(reverse("events:participants_csv", args=[full_event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nom et prénom", "Courriel", "Structure"]
    assert [r[0] for r in rows[1:]] == ["Personne 0", "Personne 1", "Personne 2"]
    assert [r[5] for r in rows[1:]] == ["Inscrit·e", "Inscrit·e", "Liste d'attente"]
    assert rows[3][6] == "1"
    assert rows[1][2] == "CPTS Pays de Retz"

    response = client.get(reverse("events:participants_xlsx", args=[full_event.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Nom et prénom"
    assert [v[1] for v in values[1:]] == [
        "personne0@exemple.fr",
        "personne1@exemple.fr",
        "personne2@exemple.fr",
    ]


def test_check_in_with_htmx_and_certificate(client, staff, make_event):
    event = make_event(days=0)
    confirmed = register(event, 1)
    client.force_login(staff)
    certificate_url = reverse("events:certificate", args=[confirmed.pk])
    response = client.get(certificate_url)
    assert response.status_code == 302  # no attendance, no certificate
    response = client.post(
        reverse("events:registration_check_in", args=[confirmed.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<tr")
    assert "Annuler le pointage" in response.text
    confirmed.refresh_from_db()
    assert confirmed.attended
    response = client.get(certificate_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    number = confirmed.certificate_number.lower()
    assert response["Content-Disposition"].startswith(f'inline; filename="attestation-{number}-')
    assert response["Content-Disposition"].endswith(f'-{event.starts_on.isoformat()}.pdf"')


def test_check_in_before_the_day_is_refused(client, staff, event):
    registration = register(event, 1)
    client.force_login(staff)
    response = client.post(
        reverse("events:registration_check_in", args=[registration.pk]), HTTP_HX_REQUEST="true"
    )
    assert "à partir du jour" in response.text
    registration.refresh_from_db()
    assert not registration.attended


def test_registrant_downloads_own_certificate_only(client, make_event):
    event = make_event(days=0)
    person = user_with_role(Role.HEALTH_PROFESSIONAL)
    own = register(event, 1, user=person)
    other = register(event, 2)
    for registration in (own, other):
        services.registration_check_in(registration=registration)
    client.force_login(person)
    assert client.get(reverse("events:certificate", args=[own.pk])).status_code == 200
    assert client.get(reverse("events:certificate", args=[other.pk])).status_code == 403


def test_email_form(client, staff, full_event, mailoutbox):
    client.force_login(staff)
    response = client.post(
        reverse("events:event_email", args=[full_event.pk]),
        {"subject": "Informations pratiques", "body": "Rendez-vous à 9 h."},
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert mailoutbox[0].reply_to == [staff.email]


def test_cancel_through_the_view_promotes_and_emails(
    client, staff, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    first = full_event.registrations.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:registration_cancel", args=[first.pk]), follow=True)
    assert "Personne 2 quitte la liste d&#x27;attente" in response.text
    assert [m.to for m in mailoutbox] == [["personne2@exemple.fr"]]


def test_public_registration_without_login(event):
    client = Client(enforce_csrf_checks=True)
    url = reverse("events:public_register", args=[event.public_token])
    page = client.get(url)
    assert page.status_code == 200
    assert "M'inscrire" in page.text
    data = {"full_name": "Alice Publique", "email": "alice@exemple.fr", "consent": "on"}
    # Without the CSRF token: refused.
    assert client.post(url, data).status_code == 403
    token = page.cookies["csrftoken"].value
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response.url == reverse("events:public_confirmation", args=[event.public_token])
    confirmation = client.get(response.url)
    assert "Votre inscription est confirmée" in confirmation.text
    registration = Registration.objects.get(email="alice@exemple.fr")
    assert registration.via_public_link and registration.user is None


def test_public_registration_goes_on_waiting_list_when_full(client, event):
    register(event, 1)
    register(event, 2)
    url = reverse("events:public_register", args=[event.public_token])
    data = {"full_name": "Bob Attente", "email": "bob@exemple.fr", "consent": "on"}
    confirmation = client.post(url, data, follow=True)
    assert "Vous êtes sur la liste d'attente" in confirmation.text
    assert "en position 1" in confirmation.text


def test_public_registration_requires_consent_and_refuses_duplicates(client, event):
    register(event, 1)
    url = reverse("events:public_register", args=[event.public_token])
    response = client.post(url, {"full_name": "X", "email": "personne1@exemple.fr"})
    assert response.status_code == 200
    assert Registration.objects.filter(event=event).count() == 1
    response = client.post(
        url, {"full_name": "X", "email": "personne1@exemple.fr", "consent": "on"}
    )
    assert "déjà inscrite" in response.text


def test_public_page_of_a_closed_event_shows_why_and_no_form(client, make_event):
    event = make_event(registration_open=False)
    page = client.get(reverse("events:public_register", args=[event.public_token]))
    assert page.status_code == 200
    assert "inscriptions à cet événement sont closes" in page.text
    assert "M'inscrire" not in page.text


def test_wrong_token_is_404(client, event):
    assert client.get(reverse("events:public_register", args=["pas-le-bon"])).status_code == 404
    response = client.get(reverse("events:public_confirmation", args=["pas-le-bon"]))
    assert response.status_code == 404


def test_confirmation_without_a_registration_in_session_redirects(client, event):
    response = client.get(reverse("events:public_confirmation", args=[event.public_token]))
    assert response.status_code == 302


def test_list_filters_and_counts(client, staff, federation, make_event):
    make_event(days=5, kind=Event.Kind.WEBINAR, title="Webinaire à venir")
    past = make_event(days=-40, kind=Event.Kind.VIDEO_BREAK, title="Pause visio passée")
    client.force_login(staff)
    url = reverse("events:event_list", args=["52"])
    page = client.get(url).text
    assert "Webinaire à venir" in page and "Pause visio passée" in page
    page = client.get(url, {"type": "pause_visio"}).text
    assert "Webinaire à venir" not in page and "Pause visio passée" in page
    page = client.get(url, {"annee": str(past.starts_on.year), "type": "inconnu"}).text
    assert "Pause visio passée" in page


def test_list_query_count(client, staff, make_event, django_assert_max_num_queries):
    for n in range(5):
        event = make_event(days=n + 1, title=f"Événement {n}")
        register(event, n)
    client.force_login(staff)
    url = reverse("events:event_list", args=["52"])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
