"""Reads for the federation's bodies, mandates, staff and meetings."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from interurps.governance import rules
from interurps.governance.models import Attendance, Body, BodyMember, Meeting, StaffMember

KIND_ORDER = [Body.Kind.BOARD, Body.Kind.BUREAU, Body.Kind.GENERAL_ASSEMBLY]

# How a count of held meetings is said, per kind of body: (singular, plural).
MEETING_WORDS = {
    Body.Kind.BOARD: ("conseil d'administration", "conseils d'administration"),
    Body.Kind.BUREAU: ("réunion de bureau", "réunions de bureau"),
    Body.Kind.GENERAL_ASSEMBLY: ("assemblée générale", "assemblées générales"),
}


def _today() -> date:
    return timezone.localdate()


def bodies_of_federation(federation) -> list[Body]:
    bodies = list(Body.objects.filter(federation=federation))
    return sorted(bodies, key=lambda b: (KIND_ORDER.index(b.kind), b.name))


def _in_office_filter(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def members_on(body: Body, on: date) -> QuerySet[BodyMember]:
    """Members of the body whose mandate covers the day `on`."""
    return (
        body.members.filter(_in_office_filter(on))
        .select_related("union", "union__profession")
        .order_by("union__profession__display_order", "full_name")
    )


def current_members(body: Body, today: date | None = None) -> QuerySet[BodyMember]:
    return members_on(body, today or _today())


def past_members(federation, today: date | None = None) -> QuerySet[BodyMember]:
    """Mandates of the federation's bodies that have ended, most recent first."""
    return (
        BodyMember.objects.filter(body__federation=federation, end_date__lt=today or _today())
        .select_related("body", "union")
        .order_by("-end_date", "full_name")
    )


def co_presidents(federation, today: date | None = None) -> list[BodyMember]:
    """Current co-presidents, one line per person, whichever bodies they sit in."""
    members = (
        BodyMember.objects.filter(
            _in_office_filter(today or _today()),
            body__federation=federation,
            office=BodyMember.Office.CO_PRESIDENT,
        )
        .select_related("union", "body")
        .order_by("union__profession__display_order", "full_name")
    )
    seen, result = set(), []
    for member in members:
        if member.full_name not in seen:
            seen.add(member.full_name)
            result.append(member)
    return result


def current_staff(federation, today: date | None = None) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(_in_office_filter(today or _today()), federation=federation)
        .select_related("lent_by")
        .order_by("full_name")
    )


def former_staff(federation, today: date | None = None) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(federation=federation, end_date__lt=today or _today())
        .select_related("lent_by")
        .order_by("-end_date", "full_name")
    )


@dataclass(frozen=True)
class MeetingCount:
    body: Body
    year: int
    count: int

    @property
    def noun(self) -> str:
        """ "conseils d'administration en 2021": the label without its number."""
        singular, plural = MEETING_WORDS[self.body.kind]
        return f"{singular if self.count == 1 else plural} en {self.year}"

    @property
    def label(self) -> str:
        return f"{self.count} {self.noun}"


def held_meeting_counts(federation) -> list[MeetingCount]:
    """Meetings held (status "tenue"), per body and per year, most recent year first.

    Years are those of the local date of the meeting (Europe/Paris), not UTC.
    """
    bodies = {b.pk: b for b in Body.objects.filter(federation=federation)}
    rows = (
        Meeting.objects.filter(body__federation=federation, status=Meeting.Status.HELD)
        .annotate(year=ExtractYear("held_at"))
        .values("body", "year")
        .annotate(count=Count("id"))
    )
    counts = [MeetingCount(bodies[r["body"]], r["year"], r["count"]) for r in rows]
    return sorted(counts, key=lambda c: (-c.year, KIND_ORDER.index(c.body.kind), c.body.name))


def held_meeting_count(body: Body, year: int) -> int:
    return body.meetings.filter(status=Meeting.Status.HELD, held_at__year=year).count()


def meetings_of_body(body: Body) -> QuerySet[Meeting]:
    return body.meetings.annotate(decision_count=Count("decisions")).order_by("-held_at")


def meeting_detail_queryset() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("body", "body__federation", "body__federation__region")


@dataclass(frozen=True)
class AttendanceRow:
    member: BodyMember
    attendance: Attendance | None


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Members in office on the day of the meeting, with what was recorded for each."""
    recorded = {
        a.member_id: a
        for a in meeting.attendances.select_related("member", "proxy_holder", "member__union")
    }
    members = list(members_on(meeting.body, meeting.held_on))
    rows = [AttendanceRow(m, recorded.pop(m.pk, None)) for m in members]
    # Attendance of a member whose mandate was later corrected to exclude this date.
    rows += [AttendanceRow(a.member, a) for a in recorded.values()]
    return rows


@dataclass(frozen=True)
class MeetingQuorum:
    members: int
    present: int
    represented: int
    result: rules.QuorumResult | None

    @property
    def voters(self) -> int:
        return self.present + self.represented


def meeting_quorum(meeting: Meeting) -> MeetingQuorum:
    """The quorum of the meeting, from its recorded attendance and the body's rule.

    `result` is None when no member was in office on the day (nothing to compute).
    """
    members = members_on(meeting.body, meeting.held_on).count()
    statuses = dict(
        meeting.attendances.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    present = statuses.get(Attendance.Status.PRESENT, 0)
    represented = statuses.get(Attendance.Status.REPRESENTED, 0)
    result = None
    if members and present + represented <= members:
        body = meeting.body
        result = rules.quorum(
            members,
            present,
            represented,
            fraction=body.quorum_fraction,
            counts_proxies=body.quorum_counts_proxies,
        )
    return MeetingQuorum(members, present, represented, result)


def voters_of(meeting: Meeting) -> int:
    """Members present or represented: the most votes a decision can gather."""
    return meeting.attendances.filter(
        status__in=[Attendance.Status.PRESENT, Attendance.Status.REPRESENTED]
    ).count()


# Meetings of the bodies last two hours in the calendar: the records hold no end time.
BODY_MEETING_HOURS = 2


def calendar_entries(*, region, start, end, user=None) -> list:
    """Meetings of the federation's bodies (board, bureau, general assembly)."""
    from datetime import timedelta

    from interurps.core.calendar import CalendarEntry

    meetings = Meeting.objects.filter(
        body__federation__region=region,
        held_at__lt=end,
        held_at__gte=start - timedelta(hours=BODY_MEETING_HOURS),
    ).select_related("body")
    if user is not None:
        # A person's own calendar: the bodies they sit on.
        meetings = meetings.filter(body__members__user=user).distinct()
    return [
        CalendarEntry(
            uid=f"body-meeting-{meeting.pk}@interurps",
            category="reunion",
            title=(
                f"Annulé : {meeting.body.name}"
                if meeting.status == Meeting.Status.CANCELLED
                else meeting.body.name
            ),
            start=meeting.held_at,
            end=meeting.held_at + timedelta(hours=BODY_MEETING_HOURS),
            url=meeting.get_absolute_url(),
            location=meeting.place or meeting.video_link,
            kind_label=f"Instance : {meeting.body.get_kind_display()}",
        )
        for meeting in meetings
    ]
