"""Writes for meetings: entry, participants, attachments, kinds, imports, calendar feeds."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.activities.models import (
    DEFAULT_MEETING_KINDS,
    CalendarFeed,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingParticipant,
    Project,
)
from interurps.core import imports
from interurps.core.dates import OUT_OF_RANGE_MESSAGE, in_range
from interurps.cpts.models import Cpts

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def meeting_kinds_ensure(*, federation) -> list[MeetingKind]:
    """Give a federation the default list of meeting kinds the first time it is needed."""
    if not federation.meeting_kinds.exists():
        MeetingKind.objects.bulk_create(
            MeetingKind(federation=federation, name=name, display_order=order)
            for order, name in enumerate(DEFAULT_MEETING_KINDS)
        )
    return list(federation.meeting_kinds.all())


@transaction.atomic
def meeting_kind_create(*, federation, name: str) -> MeetingKind:
    name = " ".join(name.split())
    # Compared in Python: SQLite's iexact ignores case for ASCII letters only (« É »).
    if any(k.name.casefold() == name.casefold() for k in federation.meeting_kinds.all()):
        raise ValidationError({"name": f"Le type « {name} » existe déjà."})
    last = federation.meeting_kinds.order_by("-display_order").first()
    kind = MeetingKind(
        federation=federation, name=name, display_order=(last.display_order + 1) if last else 0
    )
    kind.full_clean()
    kind.save()
    return kind


def parse_participants(text: str) -> list[tuple[str, str]]:
    """« Nom (Organisme) » or « Nom — Organisme », one per line or separated by « ; »."""
    people = []
    for raw in (text or "").replace(";", "\n").splitlines():
        raw = raw.strip()
        if not raw:
            continue
        if raw.endswith(")") and "(" in raw:
            name, organisation = raw[:-1].split("(", 1)
        elif " — " in raw:
            name, organisation = raw.split(" — ", 1)
        else:
            name, organisation = raw, ""
        people.append((name.strip(), organisation.strip()))
    return people


def _check_meeting(meeting: Meeting, cpts_list) -> None:
    if meeting.kind.federation_id != meeting.federation_id:
        raise ValidationError({"kind": "Ce type de réunion appartient à une autre fédération."})
    foreign = [c.name for c in cpts_list if c.region_id != meeting.federation.region_id]
    if foreign:
        raise ValidationError({"cpts": f"CPTS d'une autre région : {', '.join(foreign)}."})


@transaction.atomic
def meeting_create(
    *,
    federation,
    by,
    title: str,
    starts_at: datetime,
    kind: MeetingKind,
    project: str,
    duration_minutes: int = 60,
    place: str = "",
    video_link: str = "",
    minutes: str = "",
    cpts=(),
    participant_users=(),
    external_participants: str = "",
) -> Meeting:
    meeting = Meeting(
        federation=federation,
        created_by=by,
        title=title.strip(),
        starts_at=starts_at,
        kind=kind,
        project=project,
        duration_minutes=duration_minutes,
        place=place,
        video_link=video_link,
        minutes=minutes,
    )
    cpts = list(cpts)
    _check_meeting(meeting, cpts)
    meeting.full_clean()
    meeting.save()
    meeting.cpts.set(cpts)
    _set_participants(meeting, participant_users, external_participants)
    return meeting


def _set_participants(meeting, users, external_text):
    meeting.participants.all().delete()
    MeetingParticipant.objects.bulk_create(
        [
            MeetingParticipant(
                meeting=meeting,
                user=user,
                full_name=user.get_full_name() or user.email,
                organisation=meeting.federation.name,
            )
            for user in users
        ]
        + [
            MeetingParticipant(meeting=meeting, full_name=name, organisation=organisation)
            for name, organisation in parse_participants(external_text)
        ]
    )


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict) -> Meeting:
    for name in (
        "title",
        "starts_at",
        "duration_minutes",
        "place",
        "video_link",
        "kind",
        "project",
        "minutes",
    ):
        if name in data:
            setattr(meeting, name, data[name])
    cpts = list(data.get("cpts", meeting.cpts.all()))
    _check_meeting(meeting, cpts)
    meeting.full_clean()
    meeting.save()
    meeting.cpts.set(cpts)
    if "participant_users" in data or "external_participants" in data:
        _set_participants(
            meeting, data.get("participant_users", ()), data.get("external_participants", "")
        )
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting) -> None:
    """Delete the meeting with its participants and attachments.

    The attachments' files are removed from storage only once the deletion is committed:
    if the transaction rolls back, the records and their files are both still there.
    """
    files = [(a.file.storage, a.file.name) for a in meeting.attachments.all()]
    meeting.delete()
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name), robust=True)


@transaction.atomic
def attachment_add(*, meeting: Meeting, uploaded_file, by) -> MeetingAttachment:
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": "Le fichier dépasse 10 Mo."})
    attachment = MeetingAttachment(
        meeting=meeting, file=uploaded_file, name=uploaded_file.name[:200], uploaded_by=by
    )
    attachment.save()
    return attachment


# --- bulk imports ---------------------------------------------------------------------


@dataclass
class ImportReport:
    meetings: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.meetings)


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


MEETING_CSV_COLUMNS = {
    "date": 10,
    "heure": 5,
    "duree": 4,
    "type": 100,
    "projet": 100,
    "objet": 200,
    "lieu": 200,
    "cpts": 2000,
    "participants": 5000,
}


def read_meetings_csv(content: bytes, *, federation) -> ImportReport:
    """Columns: date; heure; duree; type; projet; objet; lieu; cpts; participants.

    Dates JJ/MM/AAAA or AAAA-MM-JJ (1900–2100), time HH:MM, duration in minutes, type one
    of the federation's kinds, projet a project code or label, cpts names separated by
    « | », participants « Nom (Organisme) » separated by « | ». The file is read by
    `interurps.core.imports`; every error names its line and column.
    """
    report = ImportReport()
    if not content.strip():
        report.errors.append("Le fichier est vide.")
        return report
    try:
        table = imports.read_table(
            imports.csv_lines(content),
            columns=MEETING_CSV_COLUMNS,
            required=("date", "type", "projet", "objet"),
        )
    except imports.FileRefused as refusal:
        report.errors.extend(str(refusal).splitlines())
        return report
    kinds = {k.name.casefold(): k for k in meeting_kinds_ensure(federation=federation)}
    projects = {p.value: p.value for p in Project} | {p.label.casefold(): p.value for p in Project}
    cpts_by_name = {
        c.name.casefold(): c for c in Cpts.objects.filter(region_id=federation.region_id)
    }
    for line, row in table.rows:
        problems = []
        starts_at = None
        try:
            day = imports.parse_date(row.get("date", ""), line=line, column="date")
        except ValueError as error:
            problems.append(str(error))
            day = None
        try:
            hour = datetime.strptime(row.get("heure") or "09:00", "%H:%M").time()  # noqa: DTZ007
        except ValueError:
            problems.append(
                f"{imports.where(line, 'heure')} : heure illisible « {row.get('heure')} » "
                "(HH:MM attendu)."
            )
            hour = None
        if day and hour:
            starts_at = _aware(datetime.combine(day, hour))
        try:
            duration = imports.parse_int(
                row.get("duree") or "60", line=line, column="duree", minimum=5, maximum=1440
            )
        except ValueError as error:
            problems.append(f"{error} Durée en minutes, de 5 à 1440.")
            duration = 60
        kind = kinds.get(row.get("type", "").casefold())
        if kind is None:
            problems.append(
                f"{imports.where(line, 'type')} : type inconnu « {row.get('type')} » "
                f"(types : {', '.join(k.name for k in kinds.values())})."
            )
        project = projects.get(row.get("projet", "").casefold()) or projects.get(
            row.get("projet", "")
        )
        if project is None:
            problems.append(
                f"{imports.where(line, 'projet')} : projet inconnu « {row.get('projet')} »."
            )
        if not row.get("objet"):
            problems.append(f"{imports.where(line, 'objet')} : objet vide.")
        cpts = []
        for name in filter(None, (n.strip() for n in row.get("cpts", "").split("|"))):
            if name.casefold() in cpts_by_name:
                cpts.append(cpts_by_name[name.casefold()])
            else:
                problems.append(f"{imports.where(line, 'cpts')} : CPTS inconnue « {name} ».")
        if problems:
            report.errors.extend(problems)
            continue
        report.meetings.append(
            {
                "title": row["objet"],
                "starts_at": starts_at,
                "duration_minutes": duration,
                "kind": kind,
                "project": project,
                "place": row.get("lieu", ""),
                "cpts": cpts,
                "external_participants": row.get("participants", "").replace("|", "\n"),
            }
        )
    if not report.meetings and not report.errors:
        report.errors.append("Le fichier ne contient aucune réunion.")
    return report


def _ics_lines(content: bytes) -> dict[int, int]:
    """Line of each VEVENT's BEGIN in the file, by event number (for error messages)."""
    lines = {}
    number = 0
    for index, raw in enumerate(content.splitlines(), start=1):
        if raw.strip().upper() == b"BEGIN:VEVENT":
            number += 1
            lines[number] = index
    return lines


def _ics_error(number: int, lines: dict[int, int], message: str) -> str:
    line = lines.get(number)
    place = f"Événement n° {number}" + (f" (ligne {line})" if line else "")
    return f"{place} : {message}"


def _ics_date(prop, name: str, problems: list[str]):
    """The date or datetime of a DTSTART/DTEND property, or None (noting a problem)."""
    if prop is None:
        return None
    try:
        value = prop.dt
    except Exception:  # icalendar's BrokenCalendarProperty and kin
        value = None
    if not isinstance(value, date):
        problems.append(f"{name} illisible (AAAAMMJJ ou AAAAMMJJTHHMMSS attendu)")
        return None
    return value


def read_meetings_ics(content: bytes, *, kind: MeetingKind, project: str) -> ImportReport:
    """Every VEVENT of an ICS file becomes a meeting of the given kind and project.

    Refused, naming the event and its line: a missing or repeated DTSTART, DTSTART and
    DTEND mixing a whole-day DATE with a DATE-TIME, an end before the start, dates outside
    1900–2100, over-long titles or places.
    """
    from icalendar import Calendar

    report = ImportReport()
    try:
        imports.check_size(content)
        text = imports.decode_text(content)
    except imports.FileRefused as refusal:
        report.errors.append(str(refusal))
        return report
    try:
        calendar = Calendar.from_ical(text)
    except Exception:  # icalendar raises ValueError, KeyError, IndexError… on bad input
        report.errors.append(
            "Fichier ICS illisible : ce n'est pas un calendrier iCalendar valide "
            "(BEGIN:VCALENDAR … END:VCALENDAR)."
        )
        return report
    lines = _ics_lines(text.encode("utf-8"))
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        problems = []
        starts = event.get("DTSTART")
        if isinstance(starts, list):
            problems.append("DTSTART figure plusieurs fois (une seule date de début attendue)")
            starts = None
        summary = str(event.get("SUMMARY") or "").strip()
        if event.get("DTSTART") is None:
            problems.append("date de début (DTSTART) manquante")
        if not summary:
            problems.append("titre (SUMMARY) manquant")
        elif len(summary) > 200:
            problems.append(f"titre (SUMMARY) de {len(summary)} caractères, 200 au plus")
        place = str(event.get("LOCATION") or "").strip()
        if len(place) > 200:
            problems.append(f"lieu (LOCATION) de {len(place)} caractères, 200 au plus")
        end = event.get("DTEND")
        if isinstance(end, list):
            problems.append("DTEND figure plusieurs fois")
            end = None
        start_value = _ics_date(starts, "DTSTART", problems)
        end_value = _ics_date(end, "DTEND", problems)
        if start_value is not None and not in_range(start_value):
            problems.append(f"DTSTART : {OUT_OF_RANGE_MESSAGE}")
        if start_value is not None and end_value is not None:
            if isinstance(start_value, datetime) != isinstance(end_value, datetime):
                problems.append(
                    "DTSTART et DTEND mélangent une date (journée entière) et une date-heure"
                )
            elif not in_range(end_value):
                problems.append(f"DTEND : {OUT_OF_RANGE_MESSAGE}")
            elif end_value < start_value:
                problems.append("la fin (DTEND) précède le début (DTSTART)")
        if problems:
            report.errors.append(_ics_error(number, lines, " ; ".join(problems) + "."))
            continue
        duration = 60
        if isinstance(start_value, datetime):
            if isinstance(end_value, datetime):
                minutes = int((end_value - start_value) / timedelta(minutes=1))
                duration = max(5, min(1440, minutes))
        else:
            start_value = datetime.combine(start_value, datetime.min.time().replace(hour=9))
        report.meetings.append(
            {
                "title": summary,
                "starts_at": _aware(start_value),
                "duration_minutes": duration,
                "kind": kind,
                "project": project,
                "place": place,
                "cpts": [],
                "external_participants": "",
            }
        )
    if not report.meetings and not report.errors:
        report.errors.append("Le fichier ne contient aucun événement (VEVENT).")
    return report


@transaction.atomic
def meetings_import(*, report: ImportReport, federation, by) -> list[Meeting]:
    """Create every meeting of a valid report, or none."""
    if not report.is_valid:
        raise ValidationError(report.errors or ["Aucune réunion à importer."])
    return [meeting_create(federation=federation, by=by, **data) for data in report.meetings]


# --- calendar feeds -------------------------------------------------------------------


def calendar_feed_for(*, user=None, federation=None) -> CalendarFeed:
    if (user is None) == (federation is None):
        raise ValueError("A feed belongs to a user or to a federation.")
    lookup = {"user": user} if user is not None else {"federation": federation}
    feed, _ = CalendarFeed.objects.get_or_create(**lookup)
    return feed


@transaction.atomic
def calendar_feed_renew(*, feed: CalendarFeed) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    from interurps.activities.models import new_token

    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed
