"""Reading an agenda's ICS export into slots (icalendar + recurring-ical-events).

Every VEVENT whose occurrences fall in the chosen window becomes slots, recurring events
(RRULE, RDATE, EXDATE, moved occurrences) expanded. Whole-day events (holidays, days
off) are not availability: they are counted and left out. Refused, naming the event (its
title, UID and line): a missing UID or DTSTART, an end before its start, an unreadable
date or repeat rule, an occurrence longer than a day. Times without a time zone are
local (Europe/Paris). The file is checked against `interurps.core.imports` limits.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from interurps.core import french, imports

MAX_WINDOW_DAYS = 366
MAX_OCCURRENCES = 2000
MAX_ICS_BYTES = 2 * 1024 * 1024


@dataclass
class IcsReport:
    occurrences: list = field(default_factory=list)  # (uid, start, end, title)
    errors: list = field(default_factory=list)
    whole_days: int = 0
    events: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.occurrences)


def _event_lines(text: str) -> list[int]:
    return [
        index
        for index, raw in enumerate(text.splitlines(), start=1)
        if raw.strip().upper() == "BEGIN:VEVENT"
    ]


def _name(event, number: int, lines: list[int]) -> str:
    summary = str(event.get("SUMMARY") or "").strip()[:80]
    uid = str(event.get("UID") or "").strip()[:80]
    parts = [f"Événement n° {number}"]
    if number - 1 < len(lines):
        parts.append(f"(ligne {lines[number - 1]})")
    if summary:
        parts.append(f"« {summary} »")
    if uid:
        parts.append(f"UID {uid}")
    return " ".join(parts)


def _when(value: datetime) -> str:
    return french.format_datetime(timezone.localtime(value))


def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _dt(event, name: str):
    prop = event.get(name)
    if prop is None:
        return None, None
    if isinstance(prop, list):
        return None, f"{name} figure plusieurs fois"
    try:
        return prop.dt, None
    except Exception:  # icalendar's broken properties
        return None, f"{name} illisible (AAAAMMJJTHHMMSS attendu)"


def read_slots_ics(content: bytes, *, window_start: date, window_end: date) -> IcsReport:
    """The occurrences of the file's events between `window_start` and `window_end`
    (both included), or the errors that refuse the file."""
    import icalendar
    import recurring_ical_events

    report = IcsReport()
    if window_end < window_start:
        report.errors.append("La fin de la période précède son début.")
        return report
    if (window_end - window_start).days + 1 > MAX_WINDOW_DAYS:
        report.errors.append(f"La période importée dure au plus {MAX_WINDOW_DAYS} jours.")
        return report
    refusal = imports.size_refusal(len(content), MAX_ICS_BYTES)
    if refusal:
        report.errors.append(f"Le fichier pèse {refusal}")
        return report
    try:
        text = imports.decode_text(content)
    except imports.FileRefused as error:
        report.errors.append(str(error))
        return report
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception:  # icalendar raises ValueError, KeyError, IndexError… on bad input
        report.errors.append(
            "Fichier ICS illisible : ce n'est pas un calendrier iCalendar valide "
            "(BEGIN:VCALENDAR … END:VCALENDAR)."
        )
        return report
    lines = _event_lines(text)
    timezones = list(calendar.walk("VTIMEZONE"))
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        report.events += 1
        name = _name(event, number, lines)
        problems = []
        uid = str(event.get("UID") or "").strip()
        if not uid:
            problems.append("identifiant (UID) manquant")
        start, problem = _dt(event, "DTSTART")
        if problem:
            problems.append(problem)
        elif start is None:
            problems.append("date de début (DTSTART) manquante")
        end, problem = _dt(event, "DTEND")
        if problem:
            problems.append(problem)
        if start is not None and end is not None:
            if isinstance(start, datetime) != isinstance(end, datetime):
                problems.append("DTSTART et DTEND mélangent une date et une date-heure")
            elif end < start:
                problems.append("la fin (DTEND) précède le début (DTSTART)")
        if problems:
            report.errors.append(f"{name} : {' ; '.join(problems)}.")
            continue
        if not isinstance(start, datetime):
            report.whole_days += 1
            continue
        groups.setdefault(uid, []).append(event)
        names.setdefault(uid, name)
    if report.errors:
        return report
    if report.events == 0:
        report.errors.append("Le fichier ne contient aucun événement (VEVENT).")
        return report
    low = datetime.combine(window_start, datetime.min.time())
    high = datetime.combine(window_end + timedelta(days=1), datetime.min.time())
    for uid, events in groups.items():
        single = icalendar.Calendar()
        for component in timezones:
            single.add_component(component)
        for event in events:
            single.add_component(event)
        try:
            found = list(recurring_ical_events.of(single).between(low, high))
        except Exception as error:  # a bad RRULE, EXDATE or time zone
            report.errors.append(
                f"{names[uid]} : répétition ou date illisible ({type(error).__name__})."
            )
            continue
        for occurrence in found:
            start, end = occurrence.get("DTSTART").dt, occurrence.get("DTEND")
            if not isinstance(start, datetime):
                continue
            end = (
                end.dt
                if end is not None
                else start
                + (occurrence.get("DURATION").dt if occurrence.get("DURATION") else timedelta(0))
            )
            start, end = _aware(start), _aware(end)
            if end <= start:
                report.errors.append(
                    f"{names[uid]} : l'occurrence du {_when(start)} "
                    "n'a pas de durée (DTEND ou DURATION)."
                )
                continue
            if end - start > timedelta(hours=24):
                report.errors.append(
                    f"{names[uid]} : l'occurrence du {_when(start)} "
                    "dure plus de 24 heures (un créneau dure au plus une journée)."
                )
                continue
            title = str(occurrence.get("SUMMARY") or "").strip()[:200]
            report.occurrences.append((uid, start, end, title))
            if len(report.occurrences) > MAX_OCCURRENCES:
                report.errors.append(
                    f"Plus de {MAX_OCCURRENCES} créneaux dans la période : réduisez-la."
                )
                report.occurrences.clear()
                return report
    report.occurrences.sort(key=lambda item: item[1])
    if not report.errors and not report.occurrences:
        report.errors.append(
            f"Aucun rendez-vous horaire du fichier ne tombe entre le "
            f"{french.format_date(window_start)} et le {french.format_date(window_end)}."
        )
    return report
