"""Automatic indicators: values computed from the platform's own records.

Each computation takes a federation and a year and returns a Decimal. `REGISTRY` maps a
stable code (stored in `Indicator.computation`) to its French label and function.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from interurps.activities.models import Meeting, Project
from interurps.activities.selectors import year_bounds
from interurps.cpts.models import Cpts, StageTransition, SupportAction
from interurps.cpts.rules import Stage
from interurps.cpts.selectors import area_coverage, covered_share_percent
from interurps.events.models import Event
from interurps.training.selectors import learners_count


@dataclass(frozen=True)
class Computation:
    code: str
    label: str
    function: Callable[..., Decimal]

    def __call__(self, federation, year: int) -> Decimal:
        return self.function(federation, year)


def cpts_with_signed_aci(federation, year: int) -> Decimal:
    """CPTS of the region whose ACI contract was signed on or before 31 December of `year`,
    leaving out those dissolved by then."""
    year_end = date(year, 12, 31)
    dissolved = StageTransition.objects.filter(
        stage=Stage.DISSOLVED, occurred_on__lte=year_end
    ).values("cpts_id")
    count = (
        Cpts.objects.filter(region_id=federation.region_id, aci_signed_on__lte=year_end)
        .exclude(pk__in=dissolved)
        .count()
    )
    return Decimal(count)


POPULATION_COVERED = "cpts_population_couverte"


def population_covered_by_cpts(federation, year: int) -> Decimal:
    """Share (%) of the region's population living in a commune covered by a CPTS, computed
    by the coverage page's own selector (`cpts.selectors.area_coverage`, rounded as the
    coverage page rounds it): the two figures are the same by construction.

    CPTS territories keep no history, so the value is today's whatever `year`; freeze it at
    the end of a year (« figer la valeur ») to keep the figure that was reported.
    """
    return covered_share_percent(area_coverage(federation.region))


def cpts_accompanied(federation, year: int) -> Decimal:
    """CPTS of the region with at least one support action of the federation, or one
    lifecycle step recorded, during `year`."""
    count = (
        Cpts.objects.filter(region_id=federation.region_id)
        .filter(
            Q(pk__in=SupportAction.objects.filter(occurred_on__year=year).values("cpts_id"))
            | Q(pk__in=StageTransition.objects.filter(occurred_on__year=year).values("cpts_id"))
        )
        .count()
    )
    return Decimal(count)


def congresses_and_seminars_held(federation, year: int, *, now=None) -> Decimal:
    """Congresses and seminars of the federation that started in `year` (local time) and
    were held: declared held, or still « prévu » but already over (cancelled ones never
    count)."""
    start, end = year_bounds(year)
    now = now or timezone.now()
    count = (
        Event.objects.filter(
            federation=federation,
            kind__in=[Event.Kind.CONGRESS, Event.Kind.SEMINAR],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .filter(Q(status=Event.Status.HELD) | Q(status=Event.Status.PLANNED, ends_at__lte=now))
        .count()
    )
    return Decimal(count)


def coordinators_trained(federation, year: int) -> Decimal:
    """Learners of the federation's training cohorts running during `year` (the PACTE
    trains CPTS coordinators), counted as the activity report counts them."""
    return Decimal(learners_count(federation, year))


def _meetings_of_project(project: str) -> Callable[..., Decimal]:
    def count(federation, year: int) -> Decimal:
        start, end = year_bounds(year)
        return Decimal(
            Meeting.objects.filter(
                federation=federation, project=project, starts_at__gte=start, starts_at__lt=end
            ).count()
        )

    count.__doc__ = f"Meetings of the federation on project {project!r} held in the year."
    return count


_COMPUTATIONS = [
    Computation(
        "cpts_aci_signe",
        "Nombre de CPTS ayant signé l'ACI au 31 décembre",
        cpts_with_signed_aci,
    ),
    Computation(
        POPULATION_COVERED,
        "Part de la population couverte par une CPTS (%)",
        population_covered_by_cpts,
    ),
    Computation("cpts_accompagnees", "Nombre de CPTS accompagnées dans l'année", cpts_accompanied),
    Computation(
        "congres_seminaires",
        "Nombre de congrès et séminaires tenus dans l'année",
        congresses_and_seminars_held,
    ),
    Computation(
        "coordinateurs_formes",
        "Nombre de coordinateur·rices en formation dans l'année",
        coordinators_trained,
    ),
] + [
    Computation(
        f"reunions_{code}",
        f"Nombre de réunions du projet « {label} » dans l'année",
        _meetings_of_project(code),
    )
    for code, label in Project.choices
]

REGISTRY: dict[str, Computation] = {c.code: c for c in _COMPUTATIONS}


def computation_choices() -> list[tuple[str, str]]:
    from interurps.cpom.models import Indicator

    return [(Indicator.MANUAL, "Saisie manuelle")] + [(c.code, c.label) for c in _COMPUTATIONS]


def compute(code: str, federation, year: int) -> Decimal:
    try:
        computation = REGISTRY[code]
    except KeyError as exc:
        raise ValueError(f"Calcul automatique inconnu : {code}") from exc
    return computation(federation, year)
