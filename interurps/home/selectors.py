"""What each role's home shows, put together from the domain apps' selectors.

Nothing here computes a figure of its own: every count and list comes from a selector of
the app that owns the data (CPTS, events, meetings, training, CPOM, elections).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from interurps.activities import selectors as activities_selectors
from interurps.cpom import rules as cpom_rules
from interurps.cpom import selectors as cpom_selectors
from interurps.cpom.computations import POPULATION_COVERED
from interurps.cpts import selectors as cpts_selectors
from interurps.elections import selectors as elections_selectors
from interurps.events import selectors as events_selectors
from interurps.geography import selectors as geography_selectors
from interurps.organizations import selectors as organization_selectors
from interurps.reper import selectors as reper_selectors
from interurps.reper.monitoring import selectors as monitoring_selectors
from interurps.sas.regulation import selectors as regulation_selectors
from interurps.training import selectors as training_selectors

AGENDA_LENGTH = 8
AGENDA_DAYS = 60


@dataclass(frozen=True)
class AgendaItem:
    start: datetime
    category: str  # "Réunion", "Événement", "Formation"
    title: str
    url: str
    location: str = ""


# --- federation staff and admins --------------------------------------------------------


def todo_list(kind: str, region, federation, now: datetime | None = None) -> list:
    """One of the federation's work queues ("À traiter"), by its slug (see TODO_TITLES)."""
    now = now or timezone.now()
    if kind == "missions-en-retard":
        return cpts_selectors.late_missions_of_region(region, timezone.localdate(now))
    if kind == "cpts-en-attente":
        return cpts_selectors.cpts_awaiting_a_step(region)
    if federation is None:
        return []
    if kind == "liste-attente":
        return list(events_selectors.waiting_registrations(federation, now))
    if kind == "presences":
        return list(events_selectors.registrations_not_checked_in(federation, now))
    raise ValueError(f"unknown work queue: {kind}")


def todo_lists(region, federation, now: datetime | None = None) -> dict[str, list]:
    """Every work queue, keyed by its slug."""
    return {kind: todo_list(kind, region, federation, now) for kind in TODO_TITLES}


TODO_TITLES = {
    "missions-en-retard": "Missions de CPTS en retard",
    "cpts-en-attente": "CPTS en attente d'une étape",
    "liste-attente": "Inscriptions en liste d'attente",
    "presences": "Présences à pointer",
}
# What the counters say after their number: (one, several).
TODO_COUNTER_LABELS = {
    "missions-en-retard": ("mission de CPTS en retard", "missions de CPTS en retard"),
    "cpts-en-attente": ("CPTS en attente d'une étape", "CPTS en attente d'une étape"),
    "liste-attente": ("inscription en liste d'attente", "inscriptions en liste d'attente"),
    "presences": ("présence à pointer", "présences à pointer"),
}


def upcoming_agenda(region, now: datetime | None = None, *, user=None) -> list[AgendaItem]:
    """The next entries of the region's calendar (meetings, bodies, events, training);
    with `user`, only those they take part in."""
    now = now or timezone.now()
    entries = activities_selectors.merged_calendar(
        region=region, start=now, end=now + timedelta(days=AGENDA_DAYS), user=user
    )
    return [
        AgendaItem(e.start, e.kind_label or e.category_label, e.title, e.url, e.location)
        for e in entries
        if e.start >= now
    ][:AGENDA_LENGTH]


def staff_home(region, federation, now: datetime | None = None) -> dict:
    lists = todo_lists(region, federation, now)
    return {
        "todo": [
            (slug, TODO_COUNTER_LABELS[slug][len(items) > 1], len(items))
            for slug, items in lists.items()
        ],
        "late_missions": lists["missions-en-retard"][:5],
        "agenda": upcoming_agenda(region, now),
        "summary": geography_selectors.region_summary(region),
        "unions": organization_selectors.unions_of_region(region),
    }


# --- CPTS coordinators -----------------------------------------------------------------


def cpts_agenda(cpts, now: datetime | None = None) -> list[AgendaItem]:
    """Meetings about the CPTS, events its people are registered to, and training
    sessions of the cohorts its people follow, soonest first."""
    now = now or timezone.now()
    items = [
        AgendaItem(m.starts_at, f"Réunion {m.kind.name}", m.title, m.get_absolute_url(), m.place)
        for m in activities_selectors.upcoming_meetings_of_cpts(cpts, now)[:AGENDA_LENGTH]
    ]
    items += [
        AgendaItem(e.starts_at, e.get_kind_display(), e.title, e.get_absolute_url(), e.place)
        for e in events_selectors.upcoming_events_of_cpts(cpts, now)[:AGENDA_LENGTH]
    ]
    items += [
        AgendaItem(s.starts_at, "Formation", s.display_title, s.get_absolute_url(), s.place)
        for s in training_selectors.upcoming_sessions_of_cpts(cpts, now)[:AGENDA_LENGTH]
    ]
    return sorted(items, key=lambda item: (item.start, item.title))[:AGENDA_LENGTH]


def coordinator_home(cpts, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    cpts = cpts_selectors.cpts_detail_queryset().get(pk=cpts.pk)
    history = list(cpts.transitions.all())
    members = list(cpts.member_counts.all())
    missions = cpts_selectors.mission_rows(cpts, timezone.localdate(now))
    return {
        "cpts": cpts,
        "stage_since": history[-1].occurred_on if history else None,
        "missions": missions,
        "late_count": sum(1 for row in missions if row["deadlines"].late),
        "members": members,
        "member_total": sum(m.count for m in members),
        "structure_count": len(cpts.structures.all()),
        "agenda": cpts_agenda(cpts, now),
        "reper_waiting": monitoring_selectors.cpts_waiting_counts(cpts, timezone.localdate(now)),
    }


# --- partners (ARS, Assurance Maladie) -------------------------------------------------


def partner_home(region, federation, year: int) -> dict:
    coverage = cpts_selectors.area_coverage(region, as_of=timezone.localdate())
    # The contract's "population covered" indicator is this same figure: computed once.
    computed = {POPULATION_COVERED: cpts_selectors.covered_share_percent(coverage)}
    contracts = []
    if federation is not None:
        for contract in cpom_selectors.contracts_in_force(federation, year):
            rows = cpom_selectors.contract_dashboard(contract, year, computed)["indicator_rows"]
            counts = {status: 0 for status in cpom_rules.STATUS_LABELS}
            for row in rows:
                counts[row.status] += 1
            summary = [(s, cpom_rules.STATUS_LABELS[s], n) for s, n in counts.items()]
            contracts.append({"contract": contract, "rows": rows, "summary": summary})
    return {
        "year": year,
        "contracts": contracts,
        "coverage": coverage,
        "covered_share": computed[POPULATION_COVERED],
    }


# --- union elected members ------------------------------------------------------------


def union_home(union, user, now: datetime | None = None) -> dict:
    return {
        "union": union,
        "mandates": list(elections_selectors.current_mandates(union)),
        "accounts": list(organization_selectors.elected_members_of_union(union)),
        "agenda": upcoming_agenda(union.region, now, user=user),
    }


def reper_home(space, today) -> dict:
    """REPER on the role homes: a professional's reminders (due re-screenings, overdue
    step-2 assessments), a programme CPTS's follow-up at a glance for its coordinator."""
    from interurps.accounts.models import Role

    if space.role == Role.HEALTH_PROFESSIONAL and space.professional_id:
        return {
            "reper_reminders": reper_selectors.reminders_for_professional(space.professional, today)
        }
    if (
        space.role == Role.CPTS_COORDINATOR
        and space.cpts_id
        and reper_selectors.is_programme_cpts(space.cpts)
    ):
        return {"reper_summary": reper_selectors.cpts_summary(space.cpts, today)}
    return {}


# --- SAS regulators -----------------------------------------------------------------------


def regulator_home(region, now: datetime | None = None) -> dict:
    """Today's care requests of the region and its free shared slots in the next 48 hours."""
    now = now or timezone.now()
    return {
        "sas_care_requests_today": regulation_selectors.care_requests_today_count(region, now),
        "sas_free_slots_48h": regulation_selectors.free_slots_count(region, now, hours=48),
    }
