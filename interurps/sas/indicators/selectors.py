"""SAS indicators: aggregates read from the slots, care requests and appointments.

Every figure is computed in the database (a bounded number of queries whatever the number
of slots or requests: sums and counts grouped by week, effector, department, CPTS or
commune); only the median delay and the white zones need a second step (the median is read
with an ORDER BY … OFFSET, the white zones with a nearest-neighbour search on the
communes' centroids).

Definitions (also shown on the pages):

- Shared availability: the slots an effector shared with the regulation (`shared`), not
  cancelled, starting in the period, of an effector of the region that was not suspended
  on the slot's day. Hours = end − start, whatever the slot's capacity.
- A slot's CPTS: the CPTS whose SNP rota it belongs to, else the CPTS the effector takes
  part through, else the CPTS that is itself the effector.
- Participants: effectors with at least one hour of shared availability in a week (per
  week), or in the period. « At or above 2 hours a week »: per week, 2 hours or more that
  week (exactly 2 h counts); over the period, an average of 2 hours or more per week
  (hours ÷ weeks of the period).
- Slots offered and used: shared slots and their places (capacity); places taken
  (`booked`, which a cancellation gives back); occupancy = places taken ÷ places offered.
- Care requests: calls of the period (time of the call) by outcome. « Within 48 hours »:
  the request has an appointment that is not cancelled whose start is at most 48 hours
  after the call (exactly 48 h counts); the share is over the requests whose outcome is
  known (pending ones left out). Delay: from the call to the first non-cancelled
  appointment; median over the requests that have one.
- Demand by commune: care requests by the patient's commune; supply: shared hours by the
  site's commune (Paris, Lyon and Marseille districts counted in their commune).
- White zones: communes of the area (municipal districts left out) with at least one care
  request in the period or at least `WHITE_ZONE_MIN_POPULATION` inhabitants whose centroid
  is more than `radius_km` from every site that offered a shared slot in the period
  (sites of any region, a neighbouring region's included).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from interurps.analytics import sas_valorisation, sas_zones
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Department, Region
from interurps.sas.models import (
    Appointment,
    CareRequest,
    Effector,
    ParticipationMode,
    Site,
    Slot,
)

WINDOW = timedelta(hours=48)
THRESHOLD_HOURS = 2.0
DEFAULT_RADIUS_KM = 10.0
WHITE_ZONE_MIN_POPULATION = 1000
DURATION = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
# The Monday of the slot's ISO week, local time, as a date (no per-row time zone work).
WEEK = TruncWeek("start", output_field=DateField())
LIVE_STATUSES = (Appointment.Status.BOOKED, Appointment.Status.FULFILLED)


@dataclass(frozen=True)
class Filters:
    """The area and the period of the indicators. `start` and `end` are included."""

    region: Region
    start: date
    end: date
    department: Department | None = None
    cpts: Cpts | None = None
    radius_km: float = DEFAULT_RADIUS_KM

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first instant after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def weeks(self) -> float:
        return ((self.end - self.start).days + 1) / 7

    @property
    def area_label(self) -> str:
        if self.cpts is not None:
            return f"CPTS {self.cpts.name}"
        if self.department is not None:
            return f"{self.department.name} ({self.department.code})"
        return self.region.name


def iso_weeks_period(first: date, last: date) -> tuple[date, date]:
    """The whole ISO weeks (Monday to Sunday) that hold `first` and `last`."""
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 8 ISO weeks, the current one included."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=7), monday + timedelta(days=6)


def _hours(value: timedelta | None) -> float:
    return round(value.total_seconds() / 3600, 4) if value else 0.0


# --- querysets -----------------------------------------------------------------------


def _cpts_expression():
    return Coalesce("rota_cpts_id", "effector__through__cpts_id", "effector__structure__cpts_id")


def shared_slots(f: Filters):
    """The shared, not cancelled slots of the area starting in the period."""
    slots = (
        Slot.objects.filter(
            effector__region=f.region,
            shared=True,
            cancelled_at__isnull=True,
            start__gte=f.start_at,
            start__lt=f.end_at,
        )
        .exclude(effector__suspended_on__isnull=False, start__date__gte=F("effector__suspended_on"))
        .annotate(slot_cpts=_cpts_expression())
    )
    if f.department is not None:
        slots = slots.filter(site__commune__department=f.department)
    if f.cpts is not None:
        slots = slots.filter(slot_cpts=f.cpts.pk)
    return slots


def care_requests(f: Filters):
    requests = CareRequest.objects.filter(
        region=f.region, called_at__gte=f.start_at, called_at__lt=f.end_at
    )
    if f.department is not None:
        requests = requests.filter(commune__department=f.department)
    if f.cpts is not None:
        territory = f.cpts.communes.values("code")
        requests = requests.filter(Q(commune__in=territory) | Q(commune__parent__in=territory))
    return requests


def registered_effectors(f: Filters):
    """Effectors of the area not suspended at the end of the period."""
    effectors = Effector.objects.filter(region=f.region).exclude(suspended_on__lte=f.end)
    if f.department is not None:
        effectors = effectors.filter(
            Exists(Site.objects.filter(effector=OuterRef("pk"), commune__department=f.department))
        )
    if f.cpts is not None:
        effectors = effectors.filter(Q(through__cpts=f.cpts) | Q(structure__cpts=f.cpts))
    return effectors


def _live_appointments():
    return Appointment.objects.filter(status__in=LIVE_STATUSES)


# --- the indicators ------------------------------------------------------------------


@dataclass
class WeekRow:
    monday: date
    hours: float = 0.0
    slots: int = 0
    places: int = 0
    booked: int = 0
    participants: int = 0
    at_threshold: int = 0
    partial: bool = False  # the week is cut by the period's bounds

    @property
    def iso(self) -> tuple[int, int]:
        iso = self.monday.isocalendar()
        return iso[0], iso[1]

    @property
    def label(self) -> str:
        year, week = self.iso
        return f"S{week:02d} {year}"

    @property
    def occupancy(self) -> float | None:
        return self.booked / self.places * 100 if self.places else None


@dataclass
class EffectorRow:
    effector_id: int
    name: str
    mode: str
    hours: float
    weekly_average: float
    weeks_at_threshold: int

    @property
    def at_threshold(self) -> bool:
        return self.weekly_average >= THRESHOLD_HOURS


@dataclass
class GroupRow:
    key: str
    label: str
    hours: float
    slots: int
    places: int
    booked: int
    effectors: int

    @property
    def occupancy(self) -> float | None:
        return self.booked / self.places * 100 if self.places else None


@dataclass
class CommuneRow:
    code: str
    name: str
    department: str
    population: int | None
    requests: int
    hours: float
    distance_km: float | None  # to the nearest site with a shared slot
    white_zone: bool

    @property
    def category(self) -> str:
        if self.white_zone:
            return "white"
        if self.hours:
            return "supply"
        if self.requests:
            return "near"
        return "none"


@dataclass
class Indicators:
    filters: Filters
    total_hours: float = 0.0
    slots: int = 0
    places: int = 0
    booked: int = 0
    registered: int = 0
    with_statement: int = 0
    participants: int = 0
    participants_at_threshold: int = 0
    weeks: list[WeekRow] = field(default_factory=list)
    effectors: list[EffectorRow] = field(default_factory=list)
    departments: list[GroupRow] = field(default_factory=list)
    cpts: list[GroupRow] = field(default_factory=list)
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)
    requests: int = 0
    closed_requests: int = 0
    with_appointment: int = 0
    within_48h: int = 0
    median_delay: timedelta | None = None

    @property
    def occupancy(self) -> float | None:
        return self.booked / self.places * 100 if self.places else None

    @property
    def within_48h_share(self) -> float | None:
        return self.within_48h / self.closed_requests * 100 if self.closed_requests else None

    @property
    def median_delay_hours(self) -> float | None:
        return None if self.median_delay is None else _hours(self.median_delay)

    @property
    def hours_bands(self) -> list[tuple[str, int]]:
        """Participants by average weekly hours: what partners see instead of names."""
        bands = [("moins de 2 h", 0), ("de 2 h à moins de 4 h", 0), ("4 h et plus", 0)]
        counts = [0, 0, 0]
        for row in self.effectors:
            counts[0 if row.weekly_average < 2 else 1 if row.weekly_average < 4 else 2] += 1
        return [(label, count) for (label, _), count in zip(bands, counts, strict=True)]


def _effector_names(slots) -> dict[int, tuple[str, str]]:
    """Names and participation modes of the effectors of `slots` (a subquery: no list of
    ids sent back; plain values, no model instances)."""
    modes = dict(ParticipationMode.choices)
    rows = Effector.objects.filter(pk__in=slots.values("effector_id")).values_list(
        "pk",
        "professional__first_name",
        "professional__last_name",
        "structure__name",
        "participation_mode",
    )
    return {
        pk: (structure or f"{first or ''} {last or ''}".strip(), modes.get(mode, mode))
        for pk, first, last, structure, mode in rows
    }


def indicators(f: Filters, *, with_names: bool = True) -> Indicators:
    """Every indicator of the area and period (see the module docstring)."""
    result = Indicators(filters=f)
    slots = shared_slots(f)

    # One grouped query: per ISO week, effector, department and CPTS. The weekly table,
    # the participants, the per-effector totals and the department and CPTS tables are
    # all added up from its rows (an effector has one row per week unless its slots fall
    # in several departments or CPTS).
    rows = (
        slots.annotate(week=WEEK, department=F("site__commune__department_id"))
        .values("week", "effector_id", "department", "slot_cpts")
        .annotate(hours=Sum(DURATION), n=Count("pk"), places=Sum("capacity"), taken=Sum("booked"))
        .order_by()
    )
    weeks: dict[date, WeekRow] = {}
    week_effector: dict[tuple[date, int], float] = defaultdict(float)
    groups = {"department": {}, "slot_cpts": {}}
    for row in rows:
        monday = row["week"]
        if _aware(monday):
            monday = timezone.localtime(monday)
        if isinstance(monday, datetime):
            monday = monday.date()
        week = weeks.setdefault(monday, WeekRow(monday=monday))
        hours = _hours(row["hours"])
        places, taken = row["places"] or 0, row["taken"] or 0
        week.hours += hours
        week.slots += row["n"]
        week.places += places
        week.booked += taken
        week_effector[(monday, row["effector_id"])] += hours
        for key, table in groups.items():
            group = table.setdefault(row[key], [0.0, 0, 0, 0, set()])
            group[0] += hours
            group[1] += row["n"]
            group[2] += places
            group[3] += taken
            group[4].add(row["effector_id"])
    per_effector: dict[int, list[float]] = defaultdict(list)
    for (monday, effector_id), hours in week_effector.items():
        weeks[monday].participants += 1
        weeks[monday].at_threshold += hours >= THRESHOLD_HOURS - 1e-9
        per_effector[effector_id].append(hours)
    monday = f.start - timedelta(days=f.start.weekday())
    while monday <= f.end:
        week = weeks.setdefault(monday, WeekRow(monday=monday))
        week.partial = monday < f.start or monday + timedelta(days=6) > f.end
        monday += timedelta(weeks=1)
    result.weeks = [weeks[key] for key in sorted(weeks)]
    for week in result.weeks:
        week.hours = round(week.hours, 2)
    result.total_hours = round(sum(w.hours for w in result.weeks), 2)
    result.slots = sum(w.slots for w in result.weeks)
    result.places = sum(w.places for w in result.weeks)
    result.booked = sum(w.booked for w in result.weeks)

    names = _effector_names(slots) if with_names and per_effector else {}
    for effector_id, hours in per_effector.items():
        total = sum(hours)
        name, mode = names.get(effector_id, ("", ""))
        result.effectors.append(
            EffectorRow(
                effector_id=effector_id,
                name=name,
                mode=mode,
                hours=round(total, 2),
                weekly_average=round(total / f.weeks, 2),
                weeks_at_threshold=sum(h >= THRESHOLD_HOURS - 1e-9 for h in hours),
            )
        )
    result.effectors.sort(key=lambda row: (-row.hours, row.name))
    result.participants = len(result.effectors)
    result.participants_at_threshold = sum(row.at_threshold for row in result.effectors)

    registered = registered_effectors(f).aggregate(
        n=Count("pk"), signed=Count("pk", filter=Q(statement_signed_on__isnull=False))
    )
    result.registered, result.with_statement = registered["n"], registered["signed"]

    department_names = dict(
        Department.objects.filter(code__in=[k for k in groups["department"] if k]).values_list(
            "code", "name"
        )
    )
    cpts_names = dict(
        Cpts.objects.filter(pk__in=[k for k in groups["slot_cpts"] if k]).values_list("pk", "name")
    )
    result.departments = _group_rows(groups["department"], department_names)
    result.cpts = _group_rows(groups["slot_cpts"], cpts_names, none_label="Sans CPTS")
    _requests(result, f)
    return result


def _aware(value) -> bool:
    return isinstance(value, datetime) and timezone.is_aware(value)


def _group_rows(table: dict, names: dict, none_label: str = "") -> list[GroupRow]:
    groups = [
        GroupRow(
            key="" if key is None else str(key),
            label=names.get(key, none_label) if key is not None else none_label,
            hours=round(hours, 2),
            slots=n,
            places=places,
            booked=taken,
            effectors=len(effectors),
        )
        for key, (hours, n, places, taken, effectors) in table.items()
    ]
    return sorted(groups, key=lambda g: (-g.hours, g.label))


def _requests(result: Indicators, f: Filters) -> None:
    requests = care_requests(f)
    live = _live_appointments().filter(care_request=OuterRef("pk"))
    in_window = live.filter(start__lte=OuterRef("called_at") + WINDOW)
    outcomes = CareRequest.Outcome
    counts = requests.annotate(has_appointment=Exists(live), in_window=Exists(in_window)).aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=~Q(outcome=outcomes.PENDING)),
        booked=Count("pk", filter=Q(has_appointment=True)),
        within=Count("pk", filter=Q(in_window=True) & ~Q(outcome=outcomes.PENDING)),
        **{f"o_{code}": Count("pk", filter=Q(outcome=code)) for code in outcomes.values},
    )
    result.requests = counts["total"]
    result.closed_requests = counts["closed"]
    result.with_appointment = counts["booked"]
    result.within_48h = counts["within"]
    result.outcomes = [(code, label, counts[f"o_{code}"]) for code, label in outcomes.choices]
    result.median_delay = median_delay(requests)


def median_delay(requests) -> timedelta | None:
    """Median time from the call to the first non-cancelled appointment, in the database:
    a count, then the middle one or two values in delay order (ORDER BY … OFFSET)."""
    first_start = Subquery(
        _live_appointments()
        .filter(care_request=OuterRef("pk"))
        .order_by("start")
        .values("start")[:1]
    )
    delays = (
        requests.annotate(first_start=first_start)
        .filter(first_start__isnull=False)
        .annotate(
            delay=ExpressionWrapper(F("first_start") - F("called_at"), output_field=DurationField())
        )
    )
    count = delays.count()
    if not count:
        return None
    middle = list(
        delays.order_by("delay", "pk").values_list("delay", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return sum(middle, timedelta()) / len(middle)


# --- demand, supply and white zones --------------------------------------------------


def communes_of(f: Filters):
    """The communes of the area (municipal districts counted in their commune)."""
    communes = Commune.objects.filter(
        department__region=f.region, kind=Commune.Kind.COMMUNE
    ).order_by()
    if f.department is not None:
        communes = communes.filter(department=f.department)
    if f.cpts is not None:
        territory = f.cpts.communes.values("code")
        communes = communes.filter(Q(code__in=territory) | Q(districts__in=territory)).distinct()
    return communes


def demand_and_supply(f: Filters) -> list[CommuneRow]:
    """Care requests and shared hours per commune of the area, the distance from each
    commune's centroid to the nearest site with a shared slot, and the white zones."""
    demand = dict(
        care_requests(f)
        .annotate(unit=Coalesce("commune__parent_id", "commune_id"))
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit", "n")
    )
    supply = {
        unit: _hours(hours)
        for unit, hours in shared_slots(f)
        .annotate(unit=Coalesce("site__commune__parent_id", "site__commune_id"))
        .values("unit")
        .annotate(h=Sum(DURATION))
        .order_by()
        .values_list("unit", "h")
    }
    communes = list(
        communes_of(f).values_list(
            "code", "name", "department_id", "population", "latitude", "longitude"
        )
    )
    located = [c for c in communes if c[4] is not None and c[5] is not None]
    distances: dict[str, float] = {}
    if located:
        lat = np.array([c[4] for c in located])
        lon = np.array([c[5] for c in located])
        margin = f.radius_km / 111.0 + 0.1  # degrees of latitude, with a margin
        lon_margin = margin / max(math.cos(math.radians(float(np.abs(lat).max()))), 0.1)
        sites = list(
            Site.objects.filter(
                Exists(
                    Slot.objects.filter(
                        site=OuterRef("pk"),
                        shared=True,
                        cancelled_at__isnull=True,
                        start__gte=f.start_at,
                        start__lt=f.end_at,
                    )
                ),
                latitude__range=(lat.min() - margin, lat.max() + margin),
                longitude__range=(lon.min() - lon_margin, lon.max() + lon_margin),
            ).values_list("latitude", "longitude")
        )
        nearest = sas_zones.nearest_distance_km(
            lat, lon, [s[0] for s in sites], [s[1] for s in sites]
        )
        distances = {c[0]: float(d) for c, d in zip(located, nearest, strict=True)}
    codes = [c[0] for c in communes]
    dist = np.array([distances.get(code, np.inf) for code in codes])
    # Communes without a centroid cannot be measured: never flagged.
    dist_for_mask = np.where(np.isin(codes, list(distances)), dist, 0.0) if codes else dist
    mask = sas_zones.white_zones(
        dist_for_mask,
        [demand.get(code, 0) for code in codes],
        [c[3] if c[3] is not None else 0 for c in communes],
        radius_km=f.radius_km,
        min_population=WHITE_ZONE_MIN_POPULATION,
    )
    rows = [
        CommuneRow(
            code=code,
            name=name,
            department=department,
            population=population,
            requests=demand.get(code, 0),
            hours=round(supply.get(code, 0.0), 2),
            distance_km=None
            if not math.isfinite(distances.get(code, math.inf))
            else distances[code],
            white_zone=bool(white),
        )
        for (code, name, department, population, _, _), white in zip(communes, mask, strict=True)
    ]
    rows.sort(key=lambda r: (-r.requests, -(r.population or 0), r.name))
    return rows


CATEGORY_COLORS = {
    "white": "#c0392b",
    "near": "#f0b429",
    "supply": "#2f855a",
    "none": "#e2e8f0",
}
CATEGORY_LABELS = {
    "white": "Zone blanche : demande ou population, aucun créneau partagé à moins du rayon",
    "near": "Demande sans offre dans la commune, créneau partagé à moins du rayon",
    "supply": "Créneaux partagés dans la commune",
    "none": "Ni demande ni offre",
}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def map_geojson(f: Filters) -> dict:
    """The area's communes coloured by demand, supply and white zones, for the map.

    Labels are built from names and figures and inserted as text by maps.js."""
    rows = {row.code: row for row in demand_and_supply(f)}
    features = []
    for code, name, population, geometry in communes_of(f).values_list(
        "code", "name", "population", "geometry"
    ):
        row = rows.get(code)
        if not geometry or row is None:
            continue
        hours = f"{row.hours:.1f}".replace(".", ",")
        label = (
            f"{name} ({code}) : {row.requests} demande{'s' if row.requests > 1 else ''}, "
            f"{hours} h de créneaux partagés"
        )
        if row.white_zone:
            label += " — zone blanche"
        features.append(
            {
                "type": "Feature",
                "geometry": _json(geometry),
                "properties": {
                    "code": code,
                    "name": name,
                    "label": label,
                    "population": population,
                    "color": CATEGORY_COLORS[row.category],
                    "kind": "sas_" + row.category,
                    "requests": row.requests,
                    "hours": row.hours,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _json(text: str) -> dict:
    return json.loads(text)


# --- one effector: the monthly statement ---------------------------------------------


def effector_acts(effector: Effector, first: date, last: date) -> list[sas_valorisation.Act]:
    """The effector's acts (non-cancelled, non-"no-show" appointments) between two days,
    as the valorisation module reads them. The call time is the care request's; without a
    care request (a booking through the FHIR interface), the booking time stands for it.
    An appointment is regulated when a regulator, the platform or a care request booked it.
    """
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    appointments = (
        _live_appointments()
        .filter(effector=effector, start__gte=start, start__lt=end)
        .order_by("start", "pk")
        .values_list(
            "start",
            "created_at",
            "care_request__called_at",
            "care_request_id",
            "booked_by_id",
            "api_client_id",
            "identifier",
        )
    )
    acts = []
    for begins, created, called, request_id, booked_by, client, identifier in appointments:
        call = called or created
        acts.append(
            sas_valorisation.Act(
                at=timezone.localtime(begins),
                within_48h=begins - call <= WINDOW,
                regulated=bool(request_id or booked_by or client),
                reference=identifier,
            )
        )
    return acts


def effector_weekly_hours(effector: Effector, first: date, last: date) -> dict:
    f_start = timezone.make_aware(datetime.combine(first, time.min))
    f_end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    rows = (
        Slot.objects.filter(
            effector=effector,
            shared=True,
            cancelled_at__isnull=True,
            start__gte=f_start,
            start__lt=f_end,
        )
        .annotate(week=WEEK)
        .values("week")
        .annotate(hours=Sum(DURATION))
        .order_by()
    )
    result = {}
    for row in rows:
        monday = row["week"]
        if _aware(monday):
            monday = timezone.localtime(monday)
        if isinstance(monday, datetime):
            monday = monday.date()
        iso = monday.isocalendar()
        result[(iso[0], iso[1])] = _hours(row["hours"])
    return result


def effector_statement(effector: Effector, year: int, month: int):
    """The monthly statement of SNP majorations of one effector (valorisation module)."""
    first, last = sas_valorisation.statement_window(year, month)
    return sas_valorisation.monthly_statement(
        effector_acts(effector, first, last),
        year,
        month,
        weekly_hours=effector_weekly_hours(effector, first, last),
    )


# --- the annual report ---------------------------------------------------------------


def year_summary(region: Region, year: int) -> Indicators:
    """The indicators of a calendar year (1 January to 31 December), without names."""
    return indicators(
        Filters(region=region, start=date(year, 1, 1), end=date(year, 12, 31)), with_names=False
    )
