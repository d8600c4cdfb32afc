"""Writes for the federation's bodies, mandates, staff, meetings, attendance and decisions.

Every write validates the record (`full_clean`) and the rules that span several records
(proxies, vote totals) inside one transaction: nothing is written when a rule fails.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.governance import rules, selectors
from interurps.governance.models import (
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    StaffMember,
)

BODY_FIELDS = (
    "kind",
    "name",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_counts_proxies",
    "max_proxies_per_member",
    "quorum_rule_text",
)
MEMBER_FIELDS = ("full_name", "user", "union", "office", "start_date", "end_date")
STAFF_FIELDS = (
    "full_name",
    "user",
    "job_title",
    "employer_kind",
    "lent_by",
    "start_date",
    "end_date",
    "working_time_percent",
)
MEETING_FIELDS = ("held_at", "place", "video_link", "agenda", "minutes", "convocation_sent_on")
DECISION_FIELDS = ("order", "title", "text", "votes_for", "votes_against", "abstentions")


def _save(record):
    record.full_clean()
    record.save()
    return record


def _update(record, data: dict, fields: tuple[str, ...]):
    for name in fields:
        if name in data:
            setattr(record, name, data[name])
    return _save(record)


# --- bodies, mandates, staff ------------------------------------------------------------


@transaction.atomic
def body_create(*, federation, kind: str, name: str, **fields) -> Body:
    return _save(Body(federation=federation, kind=kind, name=name.strip(), **fields))


@transaction.atomic
def body_update(*, body: Body, data: dict) -> Body:
    return _update(body, data, BODY_FIELDS)


@transaction.atomic
def body_member_create(*, body: Body, full_name: str, start_date, **fields) -> BodyMember:
    return _save(
        BodyMember(body=body, full_name=full_name.strip(), start_date=start_date, **fields)
    )


@transaction.atomic
def body_member_update(*, member: BodyMember, data: dict) -> BodyMember:
    return _update(member, data, MEMBER_FIELDS)


@transaction.atomic
def staff_member_create(
    *, federation, full_name: str, job_title: str, start_date, **fields
) -> StaffMember:
    return _save(
        StaffMember(
            federation=federation,
            full_name=full_name.strip(),
            job_title=job_title,
            start_date=start_date,
            **fields,
        )
    )


@transaction.atomic
def staff_member_update(*, staff_member: StaffMember, data: dict) -> StaffMember:
    return _update(staff_member, data, STAFF_FIELDS)


# --- meetings ------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, body: Body, held_at: datetime, **fields) -> Meeting:
    return _save(Meeting(body=body, held_at=held_at, **fields))


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict) -> Meeting:
    """Update the convocation details and minutes; the status has its own services."""
    former_day = Meeting.objects.get(pk=meeting.pk).held_on
    _update(meeting, data, MEETING_FIELDS)
    if meeting.held_on != former_day and meeting.attendances.exists():
        raise ValidationError(
            {
                "held_at": "Les présences sont déjà enregistrées : la réunion ne peut "
                "changer de jour. Seule l'heure peut être corrigée."
            }
        )
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, minutes: str | None = None) -> Meeting:
    """Declare a convened meeting held, once its date has come and attendance is recorded."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("Une réunion annulée ne peut être déclarée tenue.")
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Cette réunion est déjà déclarée tenue.")
    if meeting.held_at > timezone.now():
        raise ValidationError("Une réunion ne peut être déclarée tenue avant sa date.")
    if not meeting.attendances.exists():
        raise ValidationError(
            "Enregistrez d'abord les présences : elles établissent le quorum de la réunion."
        )
    meeting.status = Meeting.Status.HELD
    if minutes is not None:
        meeting.minutes = minutes
    return _save(meeting)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.CONVENED:
        raise ValidationError("Seule une réunion convoquée peut être annulée.")
    if meeting.decisions.exists():
        raise ValidationError("Une réunion qui a pris des décisions ne peut être annulée.")
    meeting.status = Meeting.Status.CANCELLED
    return _save(meeting)


# --- attendance ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    member: BodyMember
    status: str
    proxy_holder: BodyMember | None = None


def _proxy_limit_message(limit: int, holder: BodyMember, held: int) -> str:
    allowed = "d'une procuration" if limit == 1 else f"de {limit} procurations"
    return f"Un membre ne peut détenir plus {allowed} ({holder.full_name} en détient {held})."


@transaction.atomic
def attendance_record(*, meeting: Meeting, entries: list[AttendanceEntry]) -> list[Attendance]:
    """Replace the meeting's attendance with one entry per member in office on its day.

    Rules: a represented member names a proxy holder who sits in the same body, is
    present at the meeting, and holds no more proxies than the body allows
    (`Body.max_proxies_per_member`); decisions already recorded must keep no more votes
    than members present or represented.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("Une réunion annulée n'a pas de feuille de présence.")
    body = meeting.body
    in_office = {m.pk: m for m in selectors.members_on(body, meeting.held_on)}
    errors: list[str] = []

    by_member = {}
    for entry in entries:
        if entry.member.pk in by_member:
            errors.append(f"{entry.member.full_name} figure deux fois sur la feuille.")
        by_member[entry.member.pk] = entry
    day = f"{meeting.held_on:%d/%m/%Y}"
    for entry in by_member.values():
        if entry.member.pk not in in_office:
            errors.append(f"{entry.member.full_name} n'était pas membre de l'instance le {day}.")
    missing = [m.full_name for pk, m in in_office.items() if pk not in by_member]
    if missing:
        errors.append(
            "Indiquez la présence de chaque membre (manque : " + ", ".join(missing) + ")."
        )

    records = []
    for entry in by_member.values():
        record = Attendance(
            meeting=meeting,
            member=entry.member,
            status=entry.status,
            proxy_holder=entry.proxy_holder,
        )
        try:
            record.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors += [f"{entry.member.full_name} : {m}" for m in error.messages]
            continue
        records.append(record)

    proxies = Counter()
    for entry in by_member.values():
        if entry.status != Attendance.Status.REPRESENTED or entry.proxy_holder is None:
            continue
        holder = entry.proxy_holder
        holder_entry = by_member.get(holder.pk)
        if holder_entry is None or holder_entry.status != Attendance.Status.PRESENT:
            errors.append(
                f"Le mandataire doit être présent à la réunion ({holder.full_name}, mandataire "
                f"de {entry.member.full_name}, ne l'est pas)."
            )
        proxies[holder.pk] += 1
    for holder_pk, held in proxies.items():
        if held > body.max_proxies_per_member:
            holder = by_member[holder_pk].member if holder_pk in by_member else None
            holder = holder or BodyMember.objects.get(pk=holder_pk)
            errors.append(_proxy_limit_message(body.max_proxies_per_member, holder, held))
    if errors:
        raise ValidationError(errors)

    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(records)
    voters = selectors.voters_of(meeting)
    for decision in meeting.decisions.all():
        _check_votes(decision, voters)
    return records


# --- decisions -----------------------------------------------------------------------


def _check_votes(decision: Decision, voters: int) -> None:
    total = decision.votes_for + decision.votes_against + decision.abstentions
    if rules.votes_exceed_voters(
        decision.votes_for, decision.votes_against, decision.abstentions, voters
    ):
        raise ValidationError(
            f"Décision « {decision.title} » : le total des votes ({total}) dépasse le nombre "
            f"de membres présents ou représentés ({voters})."
        )


def _check_decision(decision: Decision) -> None:
    if decision.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("Une réunion annulée ne prend pas de décision.")
    _check_votes(decision, selectors.voters_of(decision.meeting))


@transaction.atomic
def decision_create(
    *, meeting: Meeting, title: str, order: int | None = None, **fields
) -> Decision:
    """Record a decision; its votes cannot exceed the members present or represented."""
    if order is None:
        last = meeting.decisions.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    decision = Decision(meeting=meeting, order=order, title=title.strip(), **fields)
    decision.full_clean()
    _check_decision(decision)
    decision.save()
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, data: dict) -> Decision:
    for name in DECISION_FIELDS:
        if name in data:
            setattr(decision, name, data[name])
    decision.full_clean()
    _check_decision(decision)
    decision.save()
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    decision.delete()
