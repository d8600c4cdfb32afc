"""Reads of the SAS effectors' side: an effector's week, participation hours computed from
the slots stored (never typed), the SAS officer's participation table, the CPTS's rota."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from interurps.analytics import sas_slots
from interurps.core import french
from interurps.sas.models import Appointment, Effector, Site, Slot, Structure, StructureKind
from interurps.sas.services import week_bounds


def effector_of_professional(professional_id) -> Effector | None:
    if professional_id is None:
        return None
    return (
        Effector.objects.select_related("professional", "structure", "through")
        .filter(professional_id=professional_id)
        .first()
    )


def effector_detail_queryset():
    return Effector.objects.select_related(
        "region",
        "professional",
        "professional__profession",
        "structure",
        "structure__cpts",
        "through",
        "through__cpts",
    ).prefetch_related(Prefetch("sites", queryset=Site.objects.select_related("commune")))


def slots_between(effector: Effector, low, high):
    return (
        Slot.objects.filter(effector=effector, start__lt=high, end__gt=low)
        .select_related("site", "rota_cpts")
        .order_by("start")
    )


@dataclass
class WeekDay:
    day: date
    slots: list = field(default_factory=list)

    @property
    def label(self) -> str:
        """ "Mardi 1er décembre": the week grid's heading, without the year."""
        return french.format_date(self.day, weekday=True).rsplit(" ", 1)[0].capitalize()


def week_of(slots, monday: date) -> list[WeekDay]:
    """Monday to Sunday, each with its slots (by local start day)."""
    days = [WeekDay(day) for day in sas_slots.week_days(monday)]
    for slot in slots:
        index = (timezone.localtime(slot.start).date() - monday).days
        if 0 <= index < 7:
            days[index].slots.append(slot)
    return days


def effector_week(effector: Effector, monday: date, *, shared_only: bool = False) -> list[WeekDay]:
    """The effector's slots of the week; `shared_only` for readers who may see only what
    the effector shared (regulators)."""
    low, high = week_bounds(monday)
    slots = slots_between(effector, low, high).filter(start__gte=low)
    if shared_only:
        slots = slots.filter(shared=True)
    slots = list(slots)
    appointments = defaultdict(int)
    for slot_id in Appointment.objects.filter(
        slot__in=slots, status=Appointment.Status.BOOKED
    ).values_list("slot_id", flat=True):
        appointments[slot_id] += 1
    for slot in slots:
        slot.appointment_count = appointments[slot.pk]
    return week_of(slots, monday)


def shared_hours(effector_ids, monday: date) -> dict[int, float]:
    """Hours of shared, live slots starting in the week, per effector (0 when none)."""
    low, high = week_bounds(monday)
    rows = Slot.objects.filter(
        shared=True, cancelled_at__isnull=True, start__gte=low, start__lt=high
    )
    if effector_ids is not None:
        rows = rows.filter(effector_id__in=list(effector_ids))
    intervals = defaultdict(list)
    for effector_id, start, end in rows.values_list("effector_id", "start", "end"):
        intervals[effector_id].append((start, end))
    return {key: sas_slots.hours(value) for key, value in intervals.items()}


def shared_hours_of_region(region, monday: date) -> dict[int, float]:
    low, high = week_bounds(monday)
    rows = Slot.objects.filter(
        effector__region=region,
        shared=True,
        cancelled_at__isnull=True,
        start__gte=low,
        start__lt=high,
    )
    intervals = defaultdict(list)
    for effector_id, start, end in rows.values_list("effector_id", "start", "end"):
        intervals[effector_id].append((start, end))
    return {key: sas_slots.hours(value) for key, value in intervals.items()}


def current_and_previous_weeks(today: date | None = None) -> tuple[date, date]:
    monday = sas_slots.week_start(today or timezone.localdate())
    return monday, monday - timedelta(days=7)


@dataclass
class ParticipationRow:
    effector: Effector
    department: str  # code, "" when the effector has no site
    cpts_name: str
    profession: str
    hours_current: float
    hours_previous: float

    @property
    def below_current(self) -> bool:
        return sas_slots.below_threshold(self.hours_current)

    @property
    def below_previous(self) -> bool:
        return sas_slots.below_threshold(self.hours_previous)


@dataclass
class Group:
    key: str
    effectors: int = 0
    active: int = 0
    below: int = 0
    hours: float = 0.0


def _cpts_of(effector: Effector):
    if effector.structure_id and effector.structure.kind == StructureKind.CPTS:
        return effector.structure.cpts
    if effector.through_id and effector.through.kind == StructureKind.CPTS:
        return effector.through.cpts
    return None


def _profession_of(effector: Effector) -> str:
    if effector.professional_id:
        return effector.professional.profession.label
    return effector.structure.get_kind_display()


def participation(
    region, *, today: date | None = None, department=None, cpts=None, profession=None
) -> dict:
    """Who participates in the region's SAS, with hours shared in the current and the
    previous week and who is below the sworn 2 hours, filtered by department (of the
    effector's sites), CPTS and profession; with totals per department, CPTS and
    profession (active effectors: not suspended)."""
    current, previous = current_and_previous_weeks(today)
    effectors = effector_detail_queryset().filter(region=region)
    if department is not None:
        effectors = effectors.filter(sites__commune__department=department).distinct()
    if cpts is not None:
        effectors = effectors.filter(Q(structure__cpts=cpts) | Q(through__cpts=cpts))
    if profession is not None:
        effectors = effectors.filter(professional__profession=profession)
    hours_now = shared_hours_of_region(region, current)
    hours_before = shared_hours_of_region(region, previous)
    rows = []
    for effector in effectors:
        sites = list(effector.sites.all())
        cpts_record = _cpts_of(effector)
        rows.append(
            ParticipationRow(
                effector=effector,
                department=sites[0].commune.department_id if sites else "",
                cpts_name=cpts_record.name if cpts_record else "",
                profession=_profession_of(effector),
                hours_current=hours_now.get(effector.pk, 0.0),
                hours_previous=hours_before.get(effector.pk, 0.0),
            )
        )
    rows.sort(key=lambda r: (r.department, r.cpts_name, str(r.effector).casefold()))
    totals = {"department": {}, "cpts": {}, "profession": {}}
    for row in rows:
        for axis, key in (
            ("department", row.department or "—"),
            ("cpts", row.cpts_name or "Sans CPTS"),
            ("profession", row.profession),
        ):
            group = totals[axis].setdefault(key, Group(key))
            group.effectors += 1
            if not row.effector.suspended:
                group.active += 1
                group.below += row.below_current
            group.hours += row.hours_current
    active = [r for r in rows if not r.effector.suspended]
    return {
        "rows": rows,
        "current_week": current,
        "previous_week": previous,
        "by_department": sorted(totals["department"].values(), key=lambda g: g.key),
        "by_cpts": sorted(totals["cpts"].values(), key=lambda g: g.key),
        "by_profession": sorted(totals["profession"].values(), key=lambda g: g.key),
        "participants": len(active),
        "suspended": len(rows) - len(active),
        "below_current": sum(r.below_current for r in active),
        "below_previous": sum(r.below_previous for r in active),
        "hours_current": sum(r.hours_current for r in rows),
        "hours_previous": sum(r.hours_previous for r in rows),
    }


def rota_members(cpts):
    """The effectors taking part through the CPTS (its rota's members)."""
    return (
        Effector.objects.filter(through__cpts=cpts)
        .select_related("professional", "professional__profession", "structure")
        .prefetch_related("sites")
        .order_by("professional__last_name", "professional__first_name", "pk")
    )


def rota_week(cpts, monday: date, *, shared_only: bool = False) -> list[WeekDay]:
    low, high = week_bounds(monday)
    slots = Slot.objects.filter(rota_cpts=cpts, start__gte=low, start__lt=high)
    if shared_only:
        slots = slots.filter(shared=True)
    slots = slots.select_related(
        "site", "effector", "effector__professional", "effector__structure"
    ).order_by("start")
    return week_of(slots, monday)


def cpts_structure(cpts) -> Structure | None:
    return Structure.objects.filter(cpts=cpts).first()


def effector_home(professional_id, today: date | None = None) -> dict | None:
    """The professional's SAS figures for their home: hours shared this week and next
    (computed from their slots), or None when they are not an effector."""
    effector = effector_of_professional(professional_id)
    if effector is None:
        return None
    monday = sas_slots.week_start(today or timezone.localdate())
    following = monday + timedelta(days=7)
    hours = shared_hours([effector.pk], monday)
    hours_next = shared_hours([effector.pk], following)
    now, nxt = hours.get(effector.pk, 0.0), hours_next.get(effector.pk, 0.0)
    return {
        "effector": effector,
        "weeks": [
            ("Cette semaine", monday, now, sas_slots.below_threshold(now)),
            ("Semaine prochaine", following, nxt, sas_slots.below_threshold(nxt)),
        ],
    }
