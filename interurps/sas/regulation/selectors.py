"""Reads of the regulation: the search of free shared slots around a patient, care requests
and their appointments, the counts of the regulator's home.

The search (`slot_search`) follows the national SAS engine (`interurps.analytics.sas_search`):
a radius per department, widened while fewer than 5 effectors with a matching slot are
inside, results ordered by free slots first, then distance, then start.

What a regulator is offered, and only that:

- slots the effector (or the CPTS for its rota) chose to share (`shared`), not cancelled,
  with a free place (`booked < capacity`), of an effector that is not suspended;
- of type SNP (soins non programmés: the slots opened to regulation). A slot that is only
  PUBLIC (or PRO, or CPTS without SNP) is not offered: the effector published it for the
  public's own booking (or for colleagues), not for the regulation, and taking it from the
  regulation would go beyond what the effector consented to;
- of effectors of the care request's region (a regulator works in their region: the policy
  grants nothing in another), within the radius (a site exactly at the radius is inside);
- starting in the window `[start, end)`: a slot starting at the window's start is in, one
  starting at its end is out (the default window runs from now to the end of the day
  after tomorrow, Europe/Paris).

Performance (PostgreSQL, 1,000,000 slots, 20,000 effectors): the database prefilters the
sites by a bounding box of the radius (index `sas_site_lat_lon`) and the slots of those
sites by start (partial index `sas_slot_offered_site_start`, the offered slots only), and
returns only ids, coordinates and starts; the exact distances, the widening and the order
are computed with numpy, then the details of the page's slots are read in one query.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import numpy as np
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from interurps.analytics import sas_search
from interurps.sas.models import (
    Appointment,
    CareRequest,
    Effector,
    SearchRadius,
    Site,
    Slot,
)

# Slots shown at once, nearest first: a regulator books among the first few and narrows the
# search (profession, type, window, radius) for others. Fewer rows also let the nearest
# rings fill the page sooner (see `slot_search`).
RESULT_LIMIT = 30
# Structures are offices of general practice for the SAS (SOS Médecins, health centres,
# MSP, CPTS rotas): they answer a search for physicians, and any search without profession.
STRUCTURE_PROFESSION = "medecins"


# What the results' table shows (and the tests check): the rest of the rows is not read.
SHOWN_FIELDS = (
    "site",
    "site__commune",
    "effector",
    "effector__professional",
    "effector__professional__profession",
    "effector__structure",
    "start",
    "end",
    "consultation_type",
    "capacity",
    "booked",
    "shared",
    "cancelled_at",
    "type_snp",
    "type_public",
    "site__name",
    "site__latitude",
    "site__longitude",
    "site__commune__name",
    "effector__region",
    "effector__suspended_on",
    "effector__professional__first_name",
    "effector__professional__last_name",
    "effector__professional__specialty",
    "effector__professional__profession__label",
    "effector__structure__name",
    "effector__structure__kind",
)


def default_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """From now to the end of the day after tomorrow (midnight, Europe/Paris)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    end = timezone.make_aware(datetime.combine(today + timedelta(days=3), time.min))
    return now, end


def radii_of(department_code: str) -> sas_search.Radii:
    """The department's radii: the federation's override (`SearchRadius`) where there is
    one, else the national table (its county radius caps the widening in both cases)."""
    national = sas_search.radii_for(department_code)
    override = SearchRadius.objects.filter(department_id=department_code).first()
    if override is None:
        return national
    return sas_search.Radii(override.default_km, override.enlargement_km, national.county_km)


@dataclass(frozen=True)
class SearchCriteria:
    latitude: float
    longitude: float
    department_code: str
    region_code: str
    window_start: datetime
    window_end: datetime
    radius_km: float | None = None  # the regulator's start radius; None: the department's
    profession: str = ""  # Profession pk ("medecins"...)
    specialty: str = ""
    consultation_type: str = ""


@dataclass(frozen=True)
class SlotResult:
    slot: Slot
    distance_km: float


@dataclass(frozen=True)
class ExtraResult:
    """An effector accepting patients beyond its slots ("surnuméraire"), at its nearest
    site within the radius."""

    effector: Effector
    site: Site
    distance_km: float


@dataclass
class SearchResult:
    radius_km: float
    start_radius_km: float
    cap_km: float
    effector_count: int  # distinct effectors with a matching slot within the radius
    slot_count: int  # matching slots within the radius (all, not only those shown)
    # False when the page was filled from a ring inside the radius: the counts above are
    # then those of the ring (lower bounds), the slots shown are still the nearest.
    complete: bool = True
    slots: list[SlotResult] = field(default_factory=list)
    extras: list[ExtraResult] = field(default_factory=list)  # the EXTRAS_SHOWN nearest
    extra_count: int = 0  # effectors accepting extra patients within the radius

    @property
    def widened(self) -> bool:
        return self.radius_km > self.start_radius_km


def offered_slots() -> "Q":
    """The condition of a slot a regulator may book (see the module's docstring), without
    the window. Its first three terms are those of the partial indexes."""
    return Q(
        shared=True,
        cancelled_at__isnull=True,
        booked__lt=F("capacity"),
        type_snp=True,
        effector__suspended_on__isnull=True,
    )


def _effector_filter(criteria: SearchCriteria, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}region_id": criteria.region_code})
    if criteria.profession:
        by_profession = Q(**{f"{prefix}professional__profession_id": criteria.profession})
        if criteria.profession == STRUCTURE_PROFESSION and not criteria.specialty:
            by_profession |= Q(**{f"{prefix}structure__isnull": False})
        q &= by_profession
    if criteria.specialty:
        q &= Q(**{f"{prefix}professional__specialty__iexact": criteria.specialty})
    return q


def _slot_filter(criteria: SearchCriteria) -> Q:
    q = (
        offered_slots()
        & Q(start__gte=criteria.window_start, start__lt=criteria.window_end)
        & _effector_filter(criteria, "effector__")
    )
    if criteria.consultation_type:
        q &= Q(consultation_type=criteria.consultation_type)
    return q


def _box(criteria: SearchCriteria, radius_km: float, prefix: str = "") -> Q:
    min_lat, max_lat, min_lon, max_lon = sas_search.bounding_box(
        criteria.latitude, criteria.longitude, radius_km
    )
    return Q(
        **{
            f"{prefix}latitude__gte": min_lat,
            f"{prefix}latitude__lte": max_lat,
            f"{prefix}longitude__gte": min_lon,
            f"{prefix}longitude__lte": max_lon,
        }
    )


def _candidate_slots(criteria: SearchCriteria, radius_km: float):
    """(ids, effector ids, distances, starts) of the matching slots within `radius_km`."""
    rows = list(
        Slot.objects.filter(_slot_filter(criteria), _box(criteria, radius_km, "site__"))
        .order_by()
        .values_list("pk", "effector_id", "site__latitude", "site__longitude", "start")
    )
    if not rows:
        empty = np.empty(0)
        return empty.astype(int), empty.astype(int), empty, empty
    rows.sort()  # by id: ties of distance and start are broken by id, whatever the plan
    ids, effectors, lats, lons, starts = zip(*rows, strict=True)
    distances = sas_search.haversine_km(criteria.latitude, criteria.longitude, lats, lons)
    inside = distances <= radius_km
    seconds = np.array([s.timestamp() for s in starts])
    return (
        np.asarray(ids)[inside],
        np.asarray(effectors)[inside],
        distances[inside],
        seconds[inside],
    )


def _effector_distances(criteria: SearchCriteria, radius_km: float) -> np.ndarray:
    """For every effector with a matching slot at a site within `radius_km`, the distance
    of its nearest such site (one value per effector)."""
    has_slot = Slot.objects.filter(_slot_filter(criteria), site=OuterRef("pk"))
    rows = list(
        Site.objects.filter(_box(criteria, radius_km), Exists(has_slot))
        .order_by()
        .values_list("effector_id", "latitude", "longitude")
    )
    if not rows:
        return np.empty(0)
    effectors, lats, lons = zip(*rows, strict=True)
    distances = sas_search.haversine_km(criteria.latitude, criteria.longitude, lats, lons)
    nearest: dict[int, float] = {}
    for effector_id, distance in zip(effectors, distances.tolist(), strict=True):
        if distance <= radius_km and distance < nearest.get(effector_id, np.inf):
            nearest[effector_id] = distance
    return np.fromiter(nearest.values(), dtype=float, count=len(nearest))


EXTRAS_SHOWN = 20


def _extras(criteria: SearchCriteria, radius_km: float) -> tuple[list[ExtraResult], int]:
    """The effectors accepting extra patients within the radius, nearest first: the
    `EXTRAS_SHOWN` nearest (each at its nearest site), and how many there are. Distances
    are computed on the sites' coordinates alone; only the shown ones are read whole (in a
    town, reading every site of the box with its effector and profession cost a third of
    the search)."""
    rows = list(
        Site.objects.filter(
            _box(criteria, radius_km),
            _effector_filter(criteria, "effector__"),
            effector__accepts_extra_patients=True,
            effector__suspended_on__isnull=True,
        ).values_list("pk", "effector_id", "latitude", "longitude")
    )
    if not rows:
        return [], 0
    distances = sas_search.haversine_km(
        criteria.latitude,
        criteria.longitude,
        [row[2] for row in rows],
        [row[3] for row in rows],
    )
    nearest: dict[int, tuple[float, int]] = {}
    for (site_pk, effector_id, _, _), distance in zip(rows, distances.tolist(), strict=True):
        known = nearest.get(effector_id)
        if distance <= radius_km and (known is None or distance < known[0]):
            nearest[effector_id] = (distance, site_pk)
    effector_ids = list(nearest)
    order = sas_search.order_results(
        [False] * len(effector_ids),
        [nearest[e][0] for e in effector_ids],
        [np.nan] * len(effector_ids),
    )[:EXTRAS_SHOWN]
    chosen = [effector_ids[i] for i in order]
    sites = Site.objects.select_related(
        "commune",
        "effector",
        "effector__professional",
        "effector__professional__profession",
        "effector__structure",
    ).in_bulk([nearest[e][1] for e in chosen])
    extras = [
        ExtraResult(sites[nearest[e][1]].effector, sites[nearest[e][1]], nearest[e][0])
        for e in chosen
    ]
    return extras, len(nearest)


def _widened_radius(criteria: SearchCriteria, start_km: float, step_km: float, cap_km: float):
    """The engine's widening (`sas_search.widen_radius`), reading the effectors' distances
    in doubling reaches (start + step, + 2 steps, + 4 steps… then the cap): a sparse area
    does not read the whole region when its fifth effector is a few steps away. Each reach
    lies on the steps' grid, so the widened radius found within it is the engine's."""
    steps = 1
    while True:
        reach = min(start_km + steps * step_km, cap_km)
        distances = _effector_distances(criteria, reach)
        if distances.size >= sas_search.MIN_EFFECTORS or reach >= cap_km:
            return sas_search.widen_radius(
                distances, start_km=start_km, step_km=step_km, cap_km=cap_km
            )
        steps *= 2


def slot_search(criteria: SearchCriteria, *, limit: int = RESULT_LIMIT) -> SearchResult:
    """The free shared slots a regulator may book for a patient, nearest first (see the
    module's docstring), with the effectors accepting extra patients apart.

    The page shows the `limit` nearest slots. The search first reads rings within the start
    radius (a sixteenth, an eighth, a quarter, half of it): when one already holds `limit`
    slots of at least 5 effectors, nothing farther can enter the page and the radius is not
    widened, so the rest is not read (`complete` is then False: the counts are lower
    bounds). In a town this reads a few dozen sites instead of thousands.
    """
    radii = radii_of(criteria.department_code)
    start_km = criteria.radius_km if criteria.radius_km is not None else radii.default_km
    cap_km = max(radii.cap_km, start_km)
    radius = start_km
    complete = False
    for ring in (start_km / 16, start_km / 8, start_km / 4, start_km / 2):
        ids, effectors, distances, starts = _candidate_slots(criteria, ring)
        if ids.size >= limit and len(set(effectors.tolist())) >= sas_search.MIN_EFFECTORS:
            break
    else:
        complete = True
        ids, effectors, distances, starts = _candidate_slots(criteria, start_km)
        if len(set(effectors.tolist())) < sas_search.MIN_EFFECTORS and cap_km > start_km:
            radius = _widened_radius(criteria, start_km, radii.enlargement_km, cap_km)
            if radius > start_km:
                ids, effectors, distances, starts = _candidate_slots(criteria, radius)
    order = sas_search.order_results(np.ones(ids.size, dtype=bool), distances, starts)[:limit]
    extras, extra_count = _extras(criteria, radius)
    shown = (
        Slot.objects.select_related(
            "site",
            "site__commune",
            "effector",
            "effector__professional",
            "effector__professional__profession",
            "effector__structure",
        )
        .only(*SHOWN_FIELDS)
        .in_bulk([int(ids[i]) for i in order])
    )
    return SearchResult(
        radius_km=radius,
        start_radius_km=start_km,
        cap_km=cap_km,
        effector_count=len(set(effectors.tolist())),
        slot_count=int(ids.size),
        complete=complete,
        slots=[
            SlotResult(shown[int(ids[i])], float(distances[i]))
            for i in order
            if int(ids[i]) in shown
        ],
        extras=extras,
        extra_count=extra_count,
    )


def criteria_for(
    care_request: CareRequest,
    *,
    window: tuple[datetime, datetime] | None = None,
    radius_km: float | None = None,
    profession: str = "",
    specialty: str = "",
    consultation_type: str = "",
    point: tuple[float, float] | None = None,
    now: datetime | None = None,
) -> SearchCriteria | None:
    """The search of a care request: around the patient's address point when given, else
    their commune's centroid (None when the commune has no centroid)."""
    commune = care_request.commune
    if point is None:
        if commune.latitude is None or commune.longitude is None:
            return None
        point = (commune.latitude, commune.longitude)
    start, end = window or default_window(now)
    return SearchCriteria(
        latitude=point[0],
        longitude=point[1],
        department_code=commune.department_id,
        region_code=care_request.region_id,
        window_start=start,
        window_end=end,
        radius_km=radius_km,
        profession=profession,
        specialty=specialty,
        consultation_type=consultation_type,
    )


# --- care requests and appointments ---------------------------------------------------


def appointments_prefetch() -> Prefetch:
    return Prefetch(
        "appointments",
        queryset=Appointment.objects.select_related(
            "effector",
            "effector__professional",
            "effector__structure",
            "slot",
            "slot__site",
            "slot__site__commune",
        ).order_by("start"),
    )


def care_requests_of_day(region, day=None):
    """The region's care requests called on `day` (today by default), latest first, with
    their appointments."""
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    return (
        CareRequest.objects.filter(
            region=region, called_at__gte=start, called_at__lt=start + timedelta(days=1)
        )
        .select_related("commune", "regulator")
        .prefetch_related(appointments_prefetch())
        .order_by("-called_at")
    )


def care_request_detail_queryset():
    return CareRequest.objects.select_related(
        "region", "commune", "commune__department", "regulator"
    ).prefetch_related(appointments_prefetch())


def outcome_counts(care_requests) -> dict[str, int]:
    counts = dict.fromkeys(CareRequest.Outcome.values, 0)
    for row in care_requests.order_by().values("outcome").annotate(n=Count("pk")):
        counts[row["outcome"]] = row["n"]
    return counts


def care_requests_today_count(region, now: datetime | None = None) -> int:
    day = timezone.localdate(now or timezone.now())
    start = timezone.make_aware(datetime.combine(day, time.min))
    return CareRequest.objects.filter(
        region=region, called_at__gte=start, called_at__lt=start + timedelta(days=1)
    ).count()


def free_slots_count(region, now: datetime | None = None, hours: int = 48) -> int:
    """Free shared SNP slots of the region's effectors starting in the next `hours`."""
    now = now or timezone.now()
    return Slot.objects.filter(
        offered_slots(),
        effector__region=region,
        start__gte=now,
        start__lt=now + timedelta(hours=hours),
    ).count()


def extra_effectors(region):
    """Effectors of the region accepting patients beyond their slots, not suspended."""
    return Effector.objects.filter(
        region=region, accepts_extra_patients=True, suspended_on__isnull=True
    ).select_related("professional", "structure")


def appointment_delay(appointment) -> timedelta | None:
    """Appointment's start minus the time of its care request's call (None without one)."""
    if appointment.care_request is None:
        return None
    return appointment.start - appointment.care_request.called_at


def format_delay(delay: timedelta | None) -> str:
    """ "45 min", "3 h 05", "1 j 2 h"; "—" when unknown; negative delays are shown as such."""
    if delay is None:
        return "—"
    sign = "−" if delay < timedelta(0) else ""
    minutes = int(abs(delay).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{sign}{days} j {hours} h"
    if hours:
        return f"{sign}{hours} h {minutes:02d}"
    return f"{sign}{minutes} min"
