"""Reads for events: lists, counts, places taken, the waiting list, calendar entries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from interurps.core.calendar import CalendarEntry
from interurps.events import perms, rules
from interurps.events.models import Event, ProgrammeItem, Registration, Speaker
from interurps.organizations.models import Federation

KIND_ORDER = [kind for kind, _ in Event.Kind.choices]
ACTIVE_STATUSES = [Registration.Status.CONFIRMED, Registration.Status.WAITING]


def active_registrations(event: Event) -> QuerySet[Registration]:
    """Registrations that hold a place or wait for one (not cancelled)."""
    return event.registrations.filter(status__in=ACTIVE_STATUSES)


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def waiting_list(event: Event) -> list[Registration]:
    """The waiting list in its order: first registered, first served."""
    return list(
        event.registrations.filter(status=Registration.Status.WAITING).order_by(
            "registered_at", "pk"
        )
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when the registration is not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = registration.event.registrations.filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, pk__lt=registration.pk),
        status=Registration.Status.WAITING,
    ).count()
    return ahead + 1


def registration_message(registration: Registration) -> str:
    """What a registrant is told once registered."""
    event = registration.event
    if registration.status == Registration.Status.WAITING:
        position = waiting_position(registration)
        return (
            f"L'événement « {event.title} » est complet : {registration.full_name} est "
            f"inscrit·e sur la liste d'attente, en position {position}. Un courriel sera "
            "envoyé si une place se libère."
        )
    return f"{registration.full_name} est inscrit·e à « {event.title} »."


@dataclass(frozen=True)
class Places:
    capacity: int | None
    confirmed: int
    waiting: int
    attended: int

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity

    @property
    def label(self) -> str:
        """ "23 inscrit·es sur 30, 4 en liste d'attente"."""
        registered = "inscrit·e" if self.confirmed <= 1 else "inscrit·es"
        text = f"{self.confirmed} {registered}"
        text += " (places illimitées)" if self.capacity is None else f" sur {self.capacity}"
        if self.waiting:
            text += f", {self.waiting} en liste d'attente"
        return text


def places(event: Event) -> Places:
    counts = event.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITING)),
        attended=Count("id", filter=Q(status=Registration.Status.CONFIRMED, attended=True)),
    )
    return Places(event.capacity, counts["confirmed"], counts["waiting"], counts["attended"])


def event_detail_queryset() -> QuerySet[Event]:
    return Event.objects.select_related("federation", "federation__region")


def programme(event: Event) -> list[ProgrammeItem]:
    return list(
        event.programme.prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("order", "pk"))
        ).order_by("order")
    )


def registrations_of(event: Event) -> list[Registration]:
    """Every registration, confirmed first, then the waiting list (each with its
    `waiting_position`), then cancellations."""
    order = {Registration.Status.CONFIRMED: 0, Registration.Status.WAITING: 1}
    rows = list(event.registrations.select_related("profession", "cpts"))
    rows.sort(key=lambda r: (order.get(r.status, 2), r.registered_at, r.pk))
    position = 0
    for row in rows:
        if row.status == Registration.Status.WAITING:
            position += 1
            row.waiting_position = position
        else:
            row.waiting_position = None
    return rows


def events_of_federation(
    federation: Federation, *, kind: str | None = None, year: int | None = None
) -> QuerySet[Event]:
    events = Event.objects.filter(federation=federation).annotate(
        confirmed=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
    )
    if kind:
        events = events.filter(kind=kind)
    if year:
        events = events.filter(starts_at__year=year)
    return events


def upcoming_and_past(events: QuerySet[Event], now: datetime | None = None):
    """Events not yet over (soonest first) and those over (most recent first)."""
    now = now or timezone.now()
    return (
        list(events.filter(ends_at__gt=now).order_by("starts_at")),
        list(events.filter(ends_at__lte=now).order_by("-starts_at")),
    )


def event_years(federation: Federation) -> list[int]:
    years = (
        Event.objects.filter(federation=federation)
        .annotate(year=ExtractYear("starts_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int

    @property
    def kind_label(self) -> str:
        return Event.Kind(self.kind).label

    @property
    def label(self) -> str:
        """ "4 pauses visio"."""
        return rules.count_words(self.kind, self.count)


def events_count_by_kind(federation: Federation, year: int) -> list[KindCount]:
    """Events of the year (local date of their start), cancelled ones excluded, per kind.

    Only kinds with at least one event are listed, in the order of `Event.Kind`.
    """
    rows = (
        Event.objects.filter(federation=federation, starts_at__year=year)
        .exclude(status=Event.Status.CANCELLED)
        .values("kind")
        .annotate(count=Count("id"))
    )
    counts = {row["kind"]: row["count"] for row in rows}
    return [KindCount(kind, counts[kind]) for kind in KIND_ORDER if kind in counts]


@dataclass(frozen=True)
class YearCounts:
    year: int
    counts: list[int]  # one per kind, in KIND_ORDER
    total: int


def events_counts_by_year(federation: Federation) -> list[YearCounts]:
    """A table of events per year and per kind (cancelled ones excluded), latest year first."""
    rows = (
        Event.objects.filter(federation=federation)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(year=ExtractYear("starts_at"))
        .values("year", "kind")
        .annotate(count=Count("id"))
    )
    by_year: dict[int, dict[str, int]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["kind"]] = row["count"]
    return [
        YearCounts(
            year,
            [by_year[year].get(kind, 0) for kind in KIND_ORDER],
            sum(by_year[year].values()),
        )
        for year in sorted(by_year, reverse=True)
    ]


def calendar_entries(*, region, start: datetime, end: datetime, user=None) -> list[CalendarEntry]:
    """Events of the region's federation that overlap [start, end), for the calendar.

    Cancelled events stay listed, their title prefixed with "Annulé :", so that those
    who noted them see the change. When `user` is given and may not read the region's
    events, the list is empty.
    """
    region_code = region if isinstance(region, str) else region.pk
    federation = Federation.objects.filter(region_id=region_code).first()
    if federation is None:
        return []
    if user is not None and not perms.can_view_events(user, federation):
        return []
    events = Event.objects.filter(
        federation=federation, starts_at__lt=end, ends_at__gt=start
    ).order_by("starts_at", "pk")
    entries = []
    for event in events:
        title = event.title
        if event.is_cancelled:
            title = f"Annulé : {title}"
        entries.append(
            CalendarEntry(
                uid=f"event-{event.pk}@interurps",
                category="evenement",
                title=title,
                start=event.starts_at,
                end=event.ends_at,
                url=event.get_absolute_url(),
                location=event.location_label,
                kind_label=event.get_kind_display(),
                description=event.topic or event.description,
            )
        )
    return entries


# --- follow-up (role homes) ---------------------------------------------------------


def waiting_registrations(federation: Federation, now: datetime | None = None):
    """People on the waiting list of the federation's planned events not yet over, by
    event (soonest first) and order of arrival."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            event__federation=federation,
            event__status=Event.Status.PLANNED,
            event__ends_at__gt=now,
            status=Registration.Status.WAITING,
        )
        .select_related("event")
        .order_by("event__starts_at", "registered_at", "pk")
    )


def registrations_not_checked_in(federation: Federation, now: datetime | None = None):
    """Confirmed registrations with no recorded attendance, to events that have started
    and are not yet declared held (or cancelled): presences still to be pointed."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            event__federation=federation,
            event__status=Event.Status.PLANNED,
            event__starts_at__lte=now,
            status=Registration.Status.CONFIRMED,
            attended=False,
        )
        .select_related("event")
        .order_by("event__starts_at", "full_name", "pk")
    )


def upcoming_events_of_cpts(cpts, now: datetime | None = None) -> QuerySet[Event]:
    """Planned events not yet over where someone of the CPTS holds a registration."""
    now = now or timezone.now()
    return (
        Event.objects.filter(
            status=Event.Status.PLANNED,
            ends_at__gt=now,
            registrations__cpts=cpts,
            registrations__status__in=ACTIVE_STATUSES,
        )
        .distinct()
        .order_by("starts_at")
    )
