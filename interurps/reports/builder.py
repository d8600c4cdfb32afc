"""The annual activity report of a federation: every figure is read from the records."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from interurps.activities import selectors as activity_selectors
from interurps.cpts import rules as cpts_rules
from interurps.cpts.models import Cpts, StageTransition
from interurps.events import selectors as event_selectors
from interurps.governance import selectors as governance_selectors
from interurps.governance.models import Body
from interurps.governance.models import Meeting as BodyMeeting
from interurps.reports.charts import pie_slices
from interurps.reports.models import ReportTexts
from interurps.reports.rules import RepeatedEntry, group_repeated
from interurps.training import selectors as training_selectors

PROJECT_SECTIONS = [
    # (project label in activities.Project, title, ReportTexts field)
    ("Accompagnement des CPTS", "Accompagnement des CPTS", "cpts_highlights"),
    ("SAS", "Service d'accès aux soins (SAS)", "sas_highlights"),
    ("REPER / ICOPE", "REPER / ICOPE", "icope_highlights"),
]


@dataclass
class ActivityReport:
    federation: object
    year: int
    texts: ReportTexts
    governance: dict = field(default_factory=dict)
    funding: dict = field(default_factory=dict)
    projects: list = field(default_factory=list)
    cpts: dict = field(default_factory=dict)
    training: list = field(default_factory=list)
    events: dict = field(default_factory=dict)
    indicators: list = field(default_factory=list)
    reper: object = None  # REPER / ICOPE indicators of the year (None: no programme)


def _bounds(year: int) -> tuple[datetime, datetime]:
    return activity_selectors.year_bounds(year)


def _governance(federation, year: int) -> dict:
    year_end = date(year, 12, 31)
    counts = [
        count
        for count in governance_selectors.held_meeting_counts(federation)
        if count.year == year
    ]
    assemblies = BodyMeeting.objects.filter(
        body__federation=federation,
        body__kind=Body.Kind.GENERAL_ASSEMBLY,
        status=BodyMeeting.Status.HELD,
        held_at__year=year,
    ).order_by("held_at")
    return {
        "meeting_counts": counts,
        "assemblies": [timezone.localtime(m.held_at).date() for m in assemblies],
        "co_presidents": governance_selectors.co_presidents(federation, year_end),
        "staff": list(governance_selectors.current_staff(federation, year_end)),
    }


def _funding(federation, year: int) -> dict:
    try:
        from interurps.cpom.selectors import funding_breakdown
    except ImportError:  # the CPOM app is optional for the report
        return {"lines": [], "total": Decimal(0), "slices": []}
    lines = funding_breakdown(federation, year)
    slices = pie_slices([line["amount"] for line in lines])
    for line, piece in zip(lines, slices, strict=True):
        line["color"] = piece["color"]
        line["path"] = piece["path"]
    return {"lines": lines, "total": sum((line["amount"] for line in lines), Decimal(0))}


def _projects(federation, year: int, texts: ReportTexts) -> list[dict]:
    counts = activity_selectors.counts_by_kind_and_project(federation, year)
    sections = []
    for project_label, title, text_field in PROJECT_SECTIONS:
        by_kind = counts.get(project_label, {})
        sections.append(
            {
                "title": title,
                "by_kind": sorted(by_kind.items(), key=lambda item: (-item[1], item[0])),
                "total": sum(by_kind.values()),
                "highlights": getattr(texts, text_field),
                "sas": _sas(federation, year) if project_label == "SAS" else None,
            }
        )
    return sections


def _sas(federation, year: int):
    """The year's SAS indicators (aggregates, no names), shown next to the SAS meetings;
    None when the region has recorded no SAS activity that year."""
    try:
        from interurps.sas.indicators.selectors import year_summary
    except ImportError:  # the SAS app is optional for the report
        return None
    summary = year_summary(federation.region, year)
    if not (summary.slots or summary.requests or summary.registered):
        return None
    return summary


def _stage_at(cpts: Cpts, day: date) -> str | None:
    last = (
        StageTransition.objects.filter(cpts=cpts, occurred_on__lte=day)
        .order_by("-occurred_on", "-id")
        .first()
    )
    return last.stage if last else None


def _cpts(federation, year: int) -> dict:
    region_cpts = Cpts.objects.filter(region_id=federation.region_id)
    signed = list(
        region_cpts.filter(aci_signed_on__year=year)
        .select_related("main_department")
        .order_by("aci_signed_on", "name")
    )
    active_in_year = region_cpts.filter(
        Q(support_actions__occurred_on__year=year) | Q(transitions__occurred_on__year=year)
    ).distinct()
    signed_path = cpts_rules.PATH.index(cpts_rules.Stage.ACI_SIGNED)
    accompanied = []
    for cpts in active_in_year.select_related("main_department").order_by("name"):
        stage = _stage_at(cpts, date(year, 12, 31))
        if stage is None or stage in (cpts_rules.Stage.SUSPENDED, cpts_rules.Stage.DISSOLVED):
            continue
        if cpts_rules.PATH.index(cpts_rules.Stage(stage)) < signed_path:
            accompanied.append({"cpts": cpts, "stage": cpts_rules.label(stage)})
    return {"signed": signed, "accompanied": accompanied}


def _training(federation, year: int) -> list[RepeatedEntry]:
    """The year's training sessions and relay-trainer steps, repeated ones counted once."""
    start, end = _bounds(year)
    entries = training_selectors.calendar_entries(region=federation.region, start=start, end=end)
    return group_repeated(
        (e.kind_label, e.title, timezone.localtime(e.start).date()) for e in entries
    )


def _events(federation, year: int) -> dict:
    start, end = _bounds(year)
    entries = event_selectors.calendar_entries(region=federation.region, start=start, end=end)
    return {
        "counts": event_selectors.events_count_by_kind(federation, year),
        "entries": [e for e in entries if not e.title.startswith("Annulé")],
    }


def _indicators(federation, year: int) -> list:
    try:
        from interurps.cpom.selectors import indicators_for_report
    except ImportError:
        return []
    return indicators_for_report(federation, year)


def _reper(federation, year: int):
    """The REPER / ICOPE indicators of the year's screenings, for a region running the
    programme (follow-up at 6 and 12 months counts re-screenings up to today)."""
    from interurps.reper.models import Person
    from interurps.reper.monitoring import selectors as reper_selectors

    if not Person.objects.filter(cpts__region_id=federation.region_id).exists():
        return None
    return reper_selectors.indicators(
        federation.region_id, start=date(year, 1, 1), end=date(year, 12, 31)
    )


def report_texts(federation, year: int) -> ReportTexts:
    texts = ReportTexts.objects.filter(federation=federation, year=year).first()
    return texts or ReportTexts(federation=federation, year=year)


def build_report(federation, year: int) -> ActivityReport:
    texts = report_texts(federation, year)
    return ActivityReport(
        federation=federation,
        year=year,
        texts=texts,
        governance=_governance(federation, year),
        funding=_funding(federation, year),
        projects=_projects(federation, year, texts),
        cpts=_cpts(federation, year),
        training=_training(federation, year),
        events=_events(federation, year),
        indicators=_indicators(federation, year),
        reper=_reper(federation, year),
    )
