"""ICS (iCalendar) documents built with the icalendar library."""

from datetime import UTC

from django.utils import timezone
from icalendar import Calendar, Event

from interurps.core.calendar import CalendarEntry


def calendar_document(entries: list[CalendarEntry], *, name: str, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//InterURPS//Calendrier//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        if entry.all_day:
            event.add("dtstart", timezone.localtime(entry.start).date())
            event.add("dtend", timezone.localtime(entry.end).date())
        else:
            event.add("dtstart", entry.start.astimezone(UTC))
            event.add("dtend", entry.end.astimezone(UTC))
        event.add("summary", f"{entry.title}")
        event.add("categories", [entry.category_label])
        if entry.location:
            event.add("location", entry.location)
        event.add("url", f"{base_url.rstrip('/')}{entry.url}")
        description = " — ".join(filter(None, [entry.kind_label, entry.description]))
        if description:
            event.add("description", description)
        calendar.add_component(event)
    return calendar.to_ical()
