"""What every calendar source (meetings, events, training sessions) gives the calendar.

Each app exposes `calendar_entries(*, region, start, end, user=None) -> list[CalendarEntry]`
in its `selectors.py`; the calendar pages and the ICS feeds merge them.
"""

from dataclasses import dataclass
from datetime import datetime

CATEGORY_LABELS = {
    "reunion": "Réunion",
    "evenement": "Événement",
    "formation": "Formation",
}


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across exports, e.g. "meeting-12@interurps"
    category: str  # a key of CATEGORY_LABELS
    title: str
    start: datetime  # timezone-aware
    end: datetime  # timezone-aware, after start
    url: str  # absolute path of the detail page
    location: str = ""
    kind_label: str = ""  # e.g. "Réunion ARS", "Webinaire", "Module PACTE"
    description: str = ""

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def all_day(self) -> bool:
        """Whole days from local midnight (a date without a time, such as a training day)."""
        from django.utils import timezone

        start = timezone.localtime(self.start)
        length = self.end - self.start
        return start.hour == start.minute == 0 and length.total_seconds() % 86400 == 0
