"""Reads for meetings: counts for the activity report, and the merged calendar."""

import importlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from interurps.activities.models import CalendarFeed, Meeting, MeetingKind, Project
from interurps.core.calendar import CalendarEntry

# Every app that puts entries in the calendar exposes calendar_entries() in this module.
CALENDAR_SOURCES = (
    "interurps.activities.selectors",
    "interurps.events.selectors",
    "interurps.training.selectors",
    "interurps.governance.selectors",
)


def meetings_of(federation) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(federation=federation)
        .select_related("kind")
        .prefetch_related("cpts")
        .annotate(participant_count=Count("participants"))
    )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    local = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=local), datetime(year + 1, 1, 1, tzinfo=local)


GROUPINGS = {
    "type": "Type de réunion",
    "projet": "Projet",
    "mois": "Mois",
    "cpts": "CPTS",
    "personne": "Chargé·e de mission",
}
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@dataclass
class CountTable:
    grouping: str
    rows: list[tuple[str, int]]
    total_meetings: int

    @property
    def label(self) -> str:
        return GROUPINGS[self.grouping]

    @property
    def maximum(self) -> int:
        return max((count for _, count in self.rows), default=0)


def activity_counts(
    federation,
    start: datetime,
    end: datetime,
    *,
    grouping: str = "type",
    project: str | None = None,
    kind: MeetingKind | None = None,
) -> CountTable:
    """How many meetings, grouped one way, between `start` (included) and `end` (excluded).

    A meeting with several CPTS or several staff members counts once for each of them in
    that grouping; the total counts it once.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"Regroupement inconnu : {grouping}")
    meetings = Meeting.objects.filter(
        federation=federation, starts_at__gte=start, starts_at__lt=end
    )
    if project:
        meetings = meetings.filter(project=project)
    if kind is not None:
        meetings = meetings.filter(kind=kind)
    total = meetings.count()
    if grouping == "type":
        rows = list(
            meetings.values_list("kind__name").annotate(n=Count("id")).order_by("-n", "kind__name")
        )
    elif grouping == "projet":
        labels = dict(Project.choices)
        rows = [
            (labels[code], n)
            for code, n in meetings.values_list("project").annotate(n=Count("id")).order_by("-n")
        ]
    elif grouping == "cpts":
        rows = list(
            meetings.filter(cpts__isnull=False)
            .values_list("cpts__name")
            .annotate(n=Count("id"))
            .order_by("-n", "cpts__name")
        )
    elif grouping == "personne":
        rows = [
            (name.strip() or email, n)
            for first, last, email, n in meetings.filter(participants__user__isnull=False)
            .values_list(
                "participants__user__first_name",
                "participants__user__last_name",
                "participants__user__email",
            )
            .annotate(n=Count("id"))
            .order_by("-n")
            for name in [f"{first} {last}"]
        ]
    else:
        by_month = Counter(
            timezone.localtime(value).strftime("%Y-%m")
            for value in meetings.values_list("starts_at", flat=True)
        )
        rows = [
            (f"{MONTHS_FR[int(key[5:]) - 1]} {key[:4]}", by_month[key]) for key in sorted(by_month)
        ]
    return CountTable(grouping=grouping, rows=rows, total_meetings=total)


def counts_by_kind_and_project(federation, year: int) -> dict[str, dict[str, int]]:
    """{project label: {kind name: count}} for a year: the activity report's figures."""
    start, end = year_bounds(year)
    labels = dict(Project.choices)
    result: dict[str, dict[str, int]] = {}
    rows = (
        Meeting.objects.filter(federation=federation, starts_at__gte=start, starts_at__lt=end)
        .values_list("project", "kind__name")
        .annotate(n=Count("id"))
        .order_by("project", "-n")
    )
    for project, kind, n in rows:
        result.setdefault(labels[project], {})[kind] = n
    return result


# --- calendar -----------------------------------------------------------------------


def calendar_entries(*, region, start: datetime, end: datetime, user=None) -> list[CalendarEntry]:
    """Meetings of the region's federation; with `user`, only those they take part in."""
    meetings = Meeting.objects.filter(
        federation__region=region, starts_at__lt=end, starts_at__gte=start - timedelta(days=1)
    ).select_related("kind")
    if user is not None:
        meetings = meetings.filter(Q(participants__user=user) | Q(created_by=user)).distinct()
    entries = []
    for meeting in meetings:
        meeting_end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
        if meeting_end <= start:
            continue
        entries.append(
            CalendarEntry(
                uid=f"meeting-{meeting.pk}@interurps",
                category="reunion",
                title=meeting.title,
                start=meeting.starts_at,
                end=meeting_end,
                url=meeting.get_absolute_url(),
                location=meeting.place or meeting.video_link,
                kind_label=f"Réunion {meeting.kind.name}",
                description=meeting.get_project_display(),
            )
        )
    return entries


def merged_calendar(
    *, region, start: datetime, end: datetime, user=None, categories=None
) -> list[CalendarEntry]:
    """Entries of every calendar source, sorted by start."""
    entries: list[CalendarEntry] = []
    for module_name in CALENDAR_SOURCES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        source = getattr(module, "calendar_entries", None)
        if source is not None:
            entries += source(region=region, start=start, end=end, user=user)
    if categories:
        entries = [e for e in entries if e.category in categories]
    return sorted(entries, key=lambda e: (e.start, e.title))


def feed_owner(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("user", "federation__region")
        .filter(token=token)
        .first()
    )


FEDERATION_FEED_SALT = "interurps.activities.federation-feed"


def federation_feed_token(feed: CalendarFeed, user) -> str:
    """The federation feed's address token for one subscriber.

    It signs the federation feed's secret with the subscriber's id, so that each request
    can check the subscriber still holds a role that reads the calendar: the feed stops
    for someone whose role was removed, and renewing the federation's secret cuts off
    every subscriber at once.
    """
    return signing.dumps([feed.token, user.pk], salt=FEDERATION_FEED_SALT)


def federation_feed_subscription(token: str):
    """(federation feed, subscriber) for a token made by `federation_feed_token`, or None."""
    try:
        secret, user_pk = signing.loads(token, salt=FEDERATION_FEED_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    feed = feed_owner(secret)
    if feed is None or feed.federation is None:
        return None
    user = get_user_model().objects.filter(pk=user_pk).first()
    return (feed, user) if user is not None else None


def month_grid(day: date) -> list[list[date]]:
    """Weeks (Monday first) covering the month of `day`."""
    first = day.replace(day=1)
    start = first - timedelta(days=first.weekday())
    next_month = (first + timedelta(days=32)).replace(day=1)
    weeks = []
    current = start
    while current < next_month:
        weeks.append([current + timedelta(days=i) for i in range(7)])
        current += timedelta(days=7)
    return weeks


def upcoming_meetings_of_cpts(cpts, now: datetime | None = None) -> QuerySet[Meeting]:
    """Meetings about the CPTS that have not started yet, soonest first."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(cpts=cpts, starts_at__gte=now)
        .select_related("kind")
        .order_by("starts_at")
    )
