"""Importing an agenda's ICS export: recurring events expanded in the window, refusals
naming the event, nothing written unless the whole file is valid, idempotence."""

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.sas import ics, services
from interurps.sas.models import Slot
from interurps.sas.tests.conftest import account, spec

pytestmark = pytest.mark.django_db

AGENDA = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Agenda de test//FR\r
BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:soins-non-programmes@agenda.test\r
SUMMARY:Plage SAS\r
DTSTART;TZID=Europe/Paris:20260316T180000\r
DTEND;TZID=Europe/Paris:20260316T200000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;TZID=Europe/Paris:20260323T180000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:samedi@agenda.test\r
SUMMARY:Samedi matin\r
DTSTART:20260321T090000\r
DTEND:20260321T120000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:conges@agenda.test\r
SUMMARY:Congés\r
DTSTART;VALUE=DATE:20260325\r
DTEND;VALUE=DATE:20260326\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:hors-periode@agenda.test\r
SUMMARY:Plus tard\r
DTSTART:20260601T090000Z\r
DTEND:20260601T100000Z\r
END:VEVENT\r
END:VCALENDAR\r
""".encode()

BROKEN = AGENDA.replace(
    b"DTSTART:20260321T090000\r\nDTEND:20260321T120000",
    b"DTSTART:20260321T090000\r\nDTEND:20260320T120000",
)


def read(content=AGENDA):
    return ics.read_slots_ics(content, window_start=date(2026, 3, 16), window_end=date(2026, 4, 12))


def local_starts(occurrences):
    return [timezone.localtime(start).replace(tzinfo=None) for _, start, _, _ in occurrences]


def test_recurring_events_are_expanded_without_excluded_dates():
    report = read()
    assert report.errors == []
    assert report.whole_days == 1
    starts = local_starts(report.occurrences)
    assert [s.isoformat(sep=" ", timespec="minutes") for s in starts] == [
        "2026-03-16 18:00",
        "2026-03-21 09:00",  # floating time: local
        "2026-03-30 18:00",  # 23 March excluded (EXDATE), summer time from 29 March
        "2026-04-06 18:00",
    ]
    assert {
        (timezone.localtime(e) - timezone.localtime(s)).seconds for _, s, e, _ in report.occurrences
    } == {7200, 10800}


def test_a_malformed_event_refuses_the_file_naming_it():
    report = read(BROKEN)
    assert not report.is_valid
    assert len(report.errors) == 1
    error = report.errors[0]
    assert "Événement n° 2" in error and "« Samedi matin »" in error
    assert "samedi@agenda.test" in error and "précède" in error
    assert "ligne" in error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"ceci n'est pas un agenda", "Fichier ICS illisible"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "aucun événement"),
        (AGENDA.replace(b"UID:samedi@agenda.test\r\n", b""), "identifiant (UID) manquant"),
        (AGENDA.replace(b"RRULE:FREQ=WEEKLY;COUNT=4", b"RRULE:FREQ=SOUVENT"), "Plage SAS"),
    ],
)
def test_unreadable_files_get_a_french_reason(content, expected):
    report = read(content)
    assert not report.is_valid
    assert expected in " ".join(report.errors)


def test_size_limit():
    report = read(b"X" * (ics.MAX_ICS_BYTES + 1))
    assert report.errors and "Mo au plus" in report.errors[0]


def test_import_is_idempotent_by_uid_and_start(sas):
    report = read()
    occurrences = [(uid, s, e) for uid, s, e, _ in report.occurrences]
    first = services.slots_import(
        effector=sas.other, spec=spec(sas.other_site, shared=True), occurrences=occurrences
    )
    assert len(first.created) == 4 and first.skipped == 0
    again = services.slots_import(
        effector=sas.other, spec=spec(sas.other_site, shared=True), occurrences=occurrences
    )
    assert again.created == [] and again.skipped == 4
    assert Slot.objects.filter(effector=sas.other, source=Slot.Source.ICS).count() == 4
    assert Slot.objects.filter(external_uid__startswith="soins-non-programmes@").count() == 3


def test_an_import_overlapping_an_entered_slot_writes_nothing(sas):
    start = services.local_datetime(date(2026, 4, 6), time(19))
    services.slot_create(
        effector=sas.other, spec=spec(sas.other_site), start=start, end=start.replace(hour=21)
    )
    occurrences = [(uid, s, e) for uid, s, e, _ in read().occurrences]
    with pytest.raises(services.ValidationError):
        services.slots_import(
            effector=sas.other, spec=spec(sas.other_site), occurrences=occurrences
        )
    assert Slot.objects.filter(effector=sas.other).count() == 1


def _upload(client, effector, content, site):
    return client.post(
        reverse("sas:slot_import", args=[effector.pk]),
        {
            "file": SimpleUploadedFile("agenda.ics", content, content_type="text/calendar"),
            "window_start": "2026-03-16",
            "window_end": "2026-04-12",
            "site": site.pk,
            "consultation_type": "office",
            "types": ["SNP", "PUBLIC"],
            "shared": "on",
        },
    )


def test_preview_then_confirm_through_the_page(client, sas):
    client.force_login(account(Role.HEALTH_PROFESSIONAL, professional=sas.other.professional))
    preview = _upload(client, sas.other, AGENDA, sas.other_site)
    assert preview.status_code == 200
    text = preview.text.replace("\u00a0", " ")
    assert "Aperçu" in text and "4 créneaux dans la période" in text
    assert not Slot.objects.filter(effector=sas.other).exists()  # a preview writes nothing
    digest = preview.context["digest"]
    done = client.post(
        reverse("sas:slot_import", args=[sas.other.pk]), {"confirm": "1", "digest": digest}
    )
    assert done.status_code == 302
    slots = Slot.objects.filter(effector=sas.other)
    assert slots.count() == 4 and all(s.shared and s.types == ["PUBLIC", "SNP"] for s in slots)


def test_a_refused_file_through_the_page_writes_nothing(client, sas):
    client.force_login(account(Role.HEALTH_PROFESSIONAL, professional=sas.other.professional))
    response = _upload(client, sas.other, BROKEN, sas.other_site)
    assert response.status_code == 200
    assert "Fichier refusé" in response.text and "Samedi matin" in response.text
    assert "digest" not in response.context
    assert not Slot.objects.filter(effector=sas.other).exists()
