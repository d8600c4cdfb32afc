"""Weeks, repeat rules and participation hours of SAS slots (no Django).

Slots are entered in local wall-clock time (Europe/Paris): a slot "every Tuesday from
18:00 to 20:00" stays 18:00–20:00 on both sides of a daylight-saving change, so the rules
here work on local dates and naive local times; the caller makes them aware.

The participation threshold: an effector signs a sworn statement to share at least
2 hours of slots a week (the SAS participation rule as the federation's documents state it,
seed 003; not checked here against the convention's text); exactly 2 hours meets it.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

WEEKLY_THRESHOLD_HOURS = 2.0
MAX_REPEAT_WEEKS = 53


def week_start(day: date) -> date:
    """The Monday of the ISO week of `day`.

    >>> week_start(date(2026, 3, 29))
    datetime.date(2026, 3, 23)
    """
    return day - timedelta(days=day.weekday())


def week_days(monday: date) -> list[date]:
    """Monday to Sunday of the week starting on `monday`."""
    return [monday + timedelta(days=offset) for offset in range(7)]


def weekly_dates(first: date, *, until: date | None = None, weeks: int | None = None) -> list[date]:
    """The same weekday every week from `first`: up to `until` (included) or `weeks` times.

    Exactly one of `until` and `weeks` is given; at most `MAX_REPEAT_WEEKS` dates.

    >>> weekly_dates(date(2026, 3, 17), weeks=3)
    [datetime.date(2026, 3, 17), datetime.date(2026, 3, 24), datetime.date(2026, 3, 31)]
    >>> weekly_dates(date(2026, 3, 17), until=date(2026, 3, 30))
    [datetime.date(2026, 3, 17), datetime.date(2026, 3, 24)]
    """
    if (until is None) == (weeks is None):
        raise ValueError("Donnez soit une date de fin, soit un nombre de semaines.")
    if weeks is not None:
        if not 1 <= weeks <= MAX_REPEAT_WEEKS:
            raise ValueError(f"Le nombre de semaines va de 1 à {MAX_REPEAT_WEEKS}.")
        return [first + timedelta(weeks=n) for n in range(weeks)]
    if until < first:
        raise ValueError("La date de fin de la répétition précède le premier créneau.")
    count = (until - first).days // 7 + 1
    if count > MAX_REPEAT_WEEKS:
        raise ValueError(f"La répétition dépasse {MAX_REPEAT_WEEKS} semaines.")
    return [first + timedelta(weeks=n) for n in range(count)]


def shift_local(start: datetime, end: datetime, days: int) -> tuple[datetime, datetime]:
    """A naive local (start, end) moved by whole days, keeping the wall-clock times."""
    return start + timedelta(days=days), end + timedelta(days=days)


def overlapping(
    candidate: tuple[datetime, datetime], others: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The intervals of `others` that share time with `candidate` (touching ends do not)."""
    start, end = candidate
    return [(s, e) for s, e in others if s < end and e > start]


def hours(intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """Total length of the intervals in hours (aware datetimes: real elapsed time)."""
    return sum((e - s).total_seconds() for s, e in intervals) / 3600


def below_threshold(weekly_hours: float, threshold: float = WEEKLY_THRESHOLD_HOURS) -> bool:
    """Below the sworn minimum: strictly less than 2 hours (2 hours exactly meets it).

    >>> below_threshold(2.0), below_threshold(1.99)
    (False, True)
    """
    # Sums of minutes are exact in floating point up to far beyond a week: no tolerance.
    return weekly_hours < threshold
