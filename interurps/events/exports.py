"""Files made from an event: participants (CSV, Excel) and the event as iCalendar."""

from datetime import UTC, datetime

from django.utils import timezone

from interurps.core import exports
from interurps.events import selectors
from interurps.events.models import Event

PARTICIPANT_HEADERS = [
    "Nom et prénom",
    "Courriel",
    "Structure",
    "Profession",
    "CPTS",
    "Statut",
    "Position en liste d'attente",
    "Inscrit·e le",
    "Par le lien public",
    "Présent·e",
    "Présence pointée le",
    "Numéro d'attestation",
]


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def participant_rows(event: Event) -> list[list[str]]:
    """One row per registration (cancelled ones included), in the order of the list."""
    rows = []
    for r in selectors.registrations_of(event):
        rows.append(
            [
                r.full_name,
                r.email,
                r.organisation,
                r.profession.label if r.profession else "",
                r.cpts.name if r.cpts else "",
                r.get_status_display(),
                r.waiting_position,
                _local(r.registered_at),
                "oui" if r.via_public_link else "non",
                "oui" if r.attended else "non",
                _local(r.checked_in_at),
                r.certificate_number,
            ]
        )
    return rows


def participants_csv(event: Event) -> str:
    """Semicolon-separated, with a BOM so that spreadsheet software reads UTF-8 accents."""
    return exports.csv_text(participant_rows(event), header=PARTICIPANT_HEADERS)


def participants_xlsx(event: Event) -> bytes:
    sheet = exports.Sheet(
        "Participants",
        participant_rows(event),
        header=PARTICIPANT_HEADERS,
        widths=(28, 32, 28, 22, 28, 16, 12, 18, 10, 10, 18, 18),
        freeze_header=True,
    )
    return exports.xlsx_bytes([sheet])


def event_ics(event: Event, *, url: str, now: datetime | None = None) -> bytes:
    """The event as an iCalendar file (RFC 5545) with one VEVENT, times in UTC.

    `url` is the absolute address of the event's page.
    """
    from icalendar import Calendar
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", "-//InterURPS//Evenements//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    vevent = VEvent()
    vevent.add("uid", f"event-{event.pk}@interurps")
    vevent.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", event.title)
    vevent.add("location", event.location_label)
    vevent.add("url", url)
    lines = [event.get_kind_display()]
    if event.topic:
        lines.append(f"Thème : {event.topic}")
    if event.audience:
        lines.append(f"Public : {event.audience}")
    if event.video_link:
        lines.append(f"Visioconférence : {event.video_link}")
    if event.description:
        lines.append(event.description)
    lines.append(url)
    vevent.add("description", "\n".join(lines))
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    calendar.add_component(vevent)
    return calendar.to_ical()
