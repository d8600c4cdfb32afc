import html
import io
import json
import re
from datetime import datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from interurps.accounts.models import Role
from interurps.activities import selectors, services
from interurps.activities.demo import activities_demo_load
from interurps.activities.models import Meeting, MeetingKind, Project
from interurps.organizations.models import Federation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    federation = Federation.objects.get(region_id="52")
    services.meeting_kinds_ensure(federation=federation)
    return federation


@pytest.fixture
def staff():
    return user_with_role(Role.FEDERATION_STAFF)


def kind(federation, name):
    return MeetingKind.objects.get(federation=federation, name=name)


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def make(federation, staff, when, kind_name="ARS", project=Project.SAS, **extra):
    return services.meeting_create(
        federation=federation,
        by=staff,
        title=extra.pop("title", "Réunion"),
        starts_at=when,
        kind=kind(federation, kind_name),
        project=project,
        **extra,
    )


def test_counts_by_kind_project_month_and_period(federation, staff):
    make(federation, staff, at(2021, 3, 1))
    make(federation, staff, at(2021, 3, 15))
    make(federation, staff, at(2021, 4, 2), "Quintet", Project.CPTS)
    make(federation, staff, at(2022, 1, 3))  # another year
    start, end = selectors.year_bounds(2021)
    by_kind = selectors.activity_counts(federation, start, end, grouping="type")
    assert by_kind.rows == [("ARS", 2), ("Quintet", 1)]
    assert by_kind.total_meetings == 3
    by_project = selectors.activity_counts(federation, start, end, grouping="projet")
    assert dict(by_project.rows) == {"SAS": 2, "Accompagnement des CPTS": 1}
    by_month = selectors.activity_counts(federation, start, end, grouping="mois")
    assert by_month.rows == [("mars 2021", 2), ("avril 2021", 1)]
    sas_only = selectors.activity_counts(federation, start, end, grouping="type", project="sas")
    assert sas_only.total_meetings == 2


def test_years_are_counted_in_paris_time(federation, staff):
    from datetime import UTC

    # 23:30 UTC on 31 December 2021 is 00:30 on 1 January 2022 in Paris.
    make(federation, staff, datetime(2021, 12, 31, 23, 30, tzinfo=UTC))
    assert selectors.activity_counts(federation, *selectors.year_bounds(2021)).total_meetings == 0
    assert selectors.activity_counts(federation, *selectors.year_bounds(2022)).total_meetings == 1


def test_counts_by_staff_member_and_cpts(federation, staff):
    from interurps.cpts import services as cpts_services
    from interurps.geography.models import Department

    cpts = cpts_services.cpts_create(
        region=federation.region,
        name="CPTS de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
    )
    make(federation, staff, at(2021, 5, 3), participant_users=[staff], cpts=[cpts])
    make(federation, staff, at(2021, 5, 4), participant_users=[staff])
    start, end = selectors.year_bounds(2021)
    by_person = selectors.activity_counts(federation, start, end, grouping="personne")
    assert by_person.rows == [(staff.get_full_name(), 2)]
    by_cpts = selectors.activity_counts(federation, start, end, grouping="cpts")
    assert by_cpts.rows == [("CPTS de Laval", 1)]


def test_quick_entry_keeps_kind_and_project_for_the_next_one(client, federation, staff):
    client.force_login(staff)
    url = reverse("activities:meeting_list", args=["52"])
    ars = kind(federation, "ARS")
    response = client.post(
        url,
        {
            "day": "2021-10-07",
            "time": "09:30",
            "duration_minutes": "45",
            "kind": ars.pk,
            "project": "sas",
            "title": "Point SAS",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{url}?type={ars.pk}&projet=sas&jour=2021-10-07"
    meeting = Meeting.objects.get(title="Point SAS")
    assert timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M") == "07/10/2021 09:30"
    assert [p.user for p in meeting.participants.all()] == [staff]
    page = client.get(response.url)
    assert page.context["quick_form"].initial["kind"] == str(ars.pk)
    # The date typed stays for the next line, in the ISO format a date input accepts.
    assert 'name="day" value="2021-10-07"' in page.text


def test_quick_entry_date_is_iso_for_the_browser(client, federation, staff):
    """A French page rendered `value="29/11/2026"`, which `<input type="date">` rejects."""
    client.force_login(staff)
    url = reverse("activities:meeting_list", args=["52"])
    today = timezone.localdate()
    page = client.get(url, headers={"accept-language": "fr-FR"})
    assert f'type="date" name="day" value="{today.isoformat()}"' in page.text
    assert 'type="time" name="time" value="09:00"' in page.text
    bad = client.get(f"{url}?jour=31/12/2021")
    assert f'name="day" value="{today.isoformat()}"' in bad.text


def test_quick_entry_errors_are_shown(client, staff, federation):
    client.force_login(staff)
    response = client.post(reverse("activities:meeting_list", args=["52"]), {"title": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in html.unescape(response.text)
    assert not Meeting.objects.exists()


CSV = """date;heure;duree;type;projet;objet;lieu;cpts;participants
07/10/2021;09:30;120;ARS;SAS;Synchronisation SAS;ARS;;Jeanne Martin (ARS)|Paul Durand (CPAM 44)
2021-10-12;14:00;60;quintet;Accompagnement des CPTS;Quintet;Visio;;
"""


def test_csv_import_is_all_or_nothing(client, staff, federation):
    client.force_login(staff)
    url = reverse("activities:meeting_import", args=["52"])
    bad = CSV + "32/13/2021;10:00;60;Inconnu;SAS;X;;;\n"
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", bad.encode())})
    page = html.unescape(response.text)
    # French spacing (narrow no-break spaces) before ":" and inside « ».
    assert "Ligne 4, colonne «\u202fdate\u202f»\u202f: date illisible" in page
    assert "Ligne 4, colonne «\u202ftype\u202f»\u202f: type inconnu «\u202fInconnu\u202f»" in page
    assert not Meeting.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", CSV.encode())})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Synchronisation SAS")
    assert meeting.duration_minutes == 120
    assert sorted(str(p) for p in meeting.participants.all()) == [
        "Jeanne Martin (ARS)",
        "Paul Durand (CPAM 44)",
    ]
    assert Meeting.objects.get(title="Quintet").kind.name == "Quintet"


def test_ics_import(client, staff, federation):
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\n"
        "BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20211001T000000Z\r\n"
        "DTSTART:20211005T080000Z\r\nDTEND:20211005T093000Z\r\nSUMMARY:Comité SAS 44\r\n"
        "LOCATION:Nantes\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    client.force_login(staff)
    response = client.post(
        reverse("activities:meeting_import", args=["52"]),
        {
            "file": SimpleUploadedFile("a.ics", ics.encode()),
            "kind": kind(federation, "Comité de pilotage").pk,
            "project": "sas",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.duration_minutes, meeting.place) == (
        "Comité SAS 44",
        90,
        "Nantes",
    )


def test_federation_feed_is_valid_ics_and_user_feed_is_personal(client, federation, staff):
    mine = make(
        federation,
        staff,
        timezone.now() + timezone.timedelta(days=3),
        title="La mienne",
        participant_users=[staff],
    )
    other = make(
        federation,
        user_with_role(Role.FEDERATION_STAFF),
        timezone.now() + timezone.timedelta(days=4),
        title="Pas la mienne",
    )
    federation_feed = services.calendar_feed_for(federation=federation)
    subscriber_token = selectors.federation_feed_token(federation_feed, staff)
    response = client.get(reverse("activities:ics_feed", args=[subscriber_token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert {f"meeting-{mine.pk}@interurps", f"meeting-{other.pk}@interurps"} <= uids
    event = next(
        e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"meeting-{mine.pk}@interurps"
    )
    assert event.decoded("DTSTART") == mine.starts_at.replace(microsecond=0)  # ICS: seconds
    assert str(event["SUMMARY"]) == "La mienne"
    user_feed = services.calendar_feed_for(user=staff)
    personal = Calendar.from_ical(
        client.get(reverse("activities:ics_feed", args=[user_feed.token])).content
    )
    assert {
        str(e["SUMMARY"]) for e in personal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")
    } == {"La mienne"}
    old = user_feed.token
    services.calendar_feed_renew(feed=user_feed)
    assert client.get(reverse("activities:ics_feed", args=[old])).status_code == 404


def test_calendar_page_shows_the_meeting(client, federation, staff):
    make(federation, staff, at(2021, 10, 7), title="Réunion du jour")
    client.force_login(user_with_role(Role.UNION_MEMBER))
    response = client.get(reverse("activities:calendar", args=["52"]), {"date": "2021-10-07"})
    assert "Réunion du jour" in html.unescape(response.text)
    week = client.get(
        reverse("activities:calendar", args=["52"]), {"date": "2021-10-07", "vue": "semaine"}
    )
    assert "Réunion du jour" in html.unescape(week.text)
    events_only = client.get(
        reverse("activities:calendar", args=["52"]),
        {"date": "2021-10-07", "categorie": "evenement"},
    )
    assert "Réunion du jour" not in html.unescape(events_only.text)


def test_permissions(client, federation, staff):
    meeting = make(federation, staff, at(2021, 3, 1))
    client.force_login(user_with_role(Role.UNION_MEMBER))
    assert client.get(reverse("activities:meeting_list", args=["52"])).status_code == 200
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("activities:meeting_create", args=["52"])).status_code == 403
    assert client.post(reverse("activities:meeting_delete", args=[meeting.pk])).status_code == 403
    # Internal meetings are not shared with partners; their counts are (annual report).
    client.force_login(user_with_role(Role.PARTNER))
    assert client.get(reverse("activities:meeting_list", args=["52"])).status_code == 403
    assert client.get(meeting.get_absolute_url()).status_code == 403
    assert client.get(reverse("activities:activity_counts", args=["52"])).status_code == 200
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(meeting.get_absolute_url()).status_code == 403
    assert client.get(reverse("activities:activity_counts", args=["52"])).status_code == 403


def test_attachments_are_private(client, federation, staff):
    meeting = make(federation, staff, at(2021, 3, 1))
    client.force_login(staff)
    client.post(
        reverse("activities:attachment_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile("compte-rendu.txt", b"Bonjour")},
    )
    attachment = meeting.attachments.get()
    response = client.get(reverse("activities:attachment_download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == b"Bonjour"
    client.force_login(user_with_role(Role.PARTNER, region_code="11"))
    assert (
        client.get(reverse("activities:attachment_download", args=[attachment.pk])).status_code
        == 403
    )


def test_counts_page_export_and_command(client, federation, staff, capsys):
    activities_demo_load(federation=federation, staff_user=staff)
    assert activities_demo_load(federation=federation, staff_user=staff) == 0  # idempotent
    client.force_login(user_with_role(Role.PARTNER))
    url = reverse("activities:activity_counts", args=["52"])
    response = client.get(url, {"annee": "2021", "projet": "sas"})
    assert response.context["table"].rows == [
        ("ARS", 25),
        ("URPS", 19),
        ("Interne", 16),
        ("Équipe de suivi SAS", 11),
        ("SAS pédiatrie", 4),
    ]
    assert "<svg" in response.text
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"annee": "2021", "format": "xlsx"}).content)
    ).active
    assert ["Quintet", 18] in [[c.value for c in row] for row in sheet.iter_rows()]
    call_command("activity_counts", "--region", "52", "--year", "2021", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == 93
    assert payload["by_project_and_kind"]["SAS"]["ARS"] == 25
    assert payload["by"]["type"]["Quintet"] == 18


def test_meeting_kinds_are_editable_by_admins_only(client, federation):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("activities:meeting_kinds", args=["52"])
    assert client.post(url, {"name": "Comité régional"}).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    client.post(url, {"name": "Comité régional"})
    assert kind(federation, "Comité régional")
    response = client.post(url, {"name": "comité RÉGIONAL"})
    assert "existe déjà" in html.unescape(response.text)


def test_chart_coordinates_are_not_localised(client, federation, staff):
    for day in (1, 2, 3):
        make(federation, staff, at(2021, 3, day))
    make(federation, staff, at(2021, 3, 4), "Quintet", Project.CPTS)
    client.force_login(staff)
    response = client.get(reverse("activities:activity_counts", args=["52"]), {"annee": "2021"})
    svg = response.text[response.text.index("<svg") : response.text.index("</svg>")]
    assert 'width="420.0"' in svg and 'width="140.0"' in svg  # 3 and 1 of a 420-px scale
    assert not re.search(r'="\d+,\d', svg)  # no French decimal comma in coordinates


def test_date_only_entries_are_all_day_in_ics(federation):
    from interurps.activities.ics import calendar_document
    from interurps.core.calendar import CalendarEntry

    start = at(2021, 11, 25, 0)
    entry = CalendarEntry(
        uid="x@interurps",
        category="formation",
        title="Formation",
        start=start,
        end=start + timezone.timedelta(days=2),
        url="/x/",
    )
    assert entry.all_day
    event = Calendar.from_ical(calendar_document([entry], name="t", base_url="http://t")).walk(
        "VEVENT"
    )[0]
    assert str(event.decoded("DTSTART")) == "2021-11-25"
    assert str(event.decoded("DTEND")) == "2021-11-27"


def test_calendar_merges_body_meetings_events_and_training(federation, staff):
    from interurps.events.demo import events_demo_load
    from interurps.governance.demo import governance_demo_load
    from interurps.training.demo import training_demo_load

    governance_demo_load(federation=federation)
    events_demo_load(federation=federation)
    training_demo_load(federation=federation)
    activities_demo_load(federation=federation, staff_user=staff)
    start, end = selectors.year_bounds(2021)
    entries = selectors.merged_calendar(region=federation.region, start=start, end=end)
    prefixes = {e.uid.split("-")[0] for e in entries}
    assert {"meeting", "body", "event", "training"} <= prefixes
    assert [e.start for e in entries] == sorted(e.start for e in entries)
    seminar_day = [
        e for e in entries if timezone.localtime(e.start).date().isoformat() == "2021-11-23"
    ]
    assert [e.category for e in seminar_day] == ["evenement"]  # the seminar of 23 November
    assert sum(e.uid.startswith("body-meeting-") for e in entries) == 12  # 11 boards + 1 AG
