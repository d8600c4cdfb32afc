"""Reads for the CPOM: contract dashboards, indicator values and status, funding.

`funding_breakdown` and `indicators_for_report` feed the annual activity report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from interurps.cpom import computations, rules
from interurps.cpom.models import (
    Action,
    Contract,
    FundingLine,
    FundingSource,
    Indicator,
    Objective,
    Spending,
    Theme,
)

ZERO = Decimal("0.00")


def contracts_of(federation) -> QuerySet[Contract]:
    return Contract.objects.filter(federation=federation).select_related("partner")


def contracts_in_force(federation, year: int) -> QuerySet[Contract]:
    return contracts_of(federation).filter(start_year__lte=year, end_year__gte=year)


def contract_detail_queryset() -> QuerySet[Contract]:
    return Contract.objects.select_related("federation__region", "partner")


def _indicators_prefetch():
    return Prefetch(
        "indicators",
        queryset=Indicator.objects.prefetch_related("targets", "measurements").order_by("id"),
    )


def contract_tree(contract: Contract) -> list[Theme]:
    """Themes with their objectives, actions (with links) and indicators, in few queries."""
    actions = Action.objects.prefetch_related(
        "meetings", "events", "cpts", _indicators_prefetch()
    ).select_related("owner_user")
    objectives = Objective.objects.prefetch_related(
        Prefetch("actions", queryset=actions), _indicators_prefetch()
    )
    return list(contract.themes.prefetch_related(Prefetch("objectives", queryset=objectives)))


# --- indicators ----------------------------------------------------------------------------


def indicator_target(indicator: Indicator, year: int) -> Decimal | None:
    for target in indicator.targets.all():
        if target.year == year:
            return target.value
    return None


@dataclass(frozen=True)
class IndicatorValue:
    value: Decimal | None
    source: str  # "mesure", "calcul automatique (figé)", "calcul automatique", ""


def indicator_value(
    indicator: Indicator, year: int, federation=None, computed: dict | None = None
) -> IndicatorValue:
    """The indicator's value for `year`.

    The latest measurement dated in the year wins (a manual measurement, or a frozen
    automatic value); otherwise an automatic indicator is computed now from the records
    (`computed`: values already computed, by computation code, and where a new one is
    kept); otherwise there is no value.
    """
    measured = [m for m in indicator.measurements.all() if m.measured_on.year == year]
    if measured:
        latest = max(measured, key=lambda m: (m.measured_on, m.pk))
        frozen = latest.source == latest.AUTOMATIC_SOURCE
        return IndicatorValue(latest.value, "calcul automatique (figé)" if frozen else "mesure")
    if indicator.is_automatic:
        federation = federation or indicator.contract.federation
        if computed is not None and indicator.computation in computed:
            value = computed[indicator.computation]
        else:
            value = computations.compute(indicator.computation, federation, year)
            if computed is not None:
                computed[indicator.computation] = value
        return IndicatorValue(value, "calcul automatique")
    return IndicatorValue(None, "")


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    year: int
    target: Decimal | None
    value: Decimal | None
    value_source: str
    status: str

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def status_color(self) -> str:
        return rules.STATUS_COLORS[self.status]


def indicator_row(
    indicator: Indicator, year: int, federation=None, computed: dict | None = None
) -> IndicatorRow:
    target = indicator_target(indicator, year)
    measured = indicator_value(indicator, year, federation, computed)
    status = rules.indicator_status(measured.value, target, indicator.baseline, indicator.direction)
    return IndicatorRow(indicator, year, target, measured.value, measured.source, status)


# --- contract dashboard --------------------------------------------------------------------


@dataclass
class ActionBlock:
    action: Action
    indicators: list[IndicatorRow]


@dataclass
class ObjectiveBlock:
    objective: Objective
    actions: list[ActionBlock]
    indicators: list[IndicatorRow]


@dataclass
class ThemeBlock:
    theme: Theme
    objectives: list[ObjectiveBlock]
    actions_by_status: list[tuple[str, str, int]]  # (code, label, count)
    indicators_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def action_count(self) -> int:
        return sum(count for _, _, count in self.actions_by_status)

    @property
    def indicator_summary(self) -> list[tuple[str, str, int]]:
        """(status, French label, count) of the statuses present, in a fixed order."""
        return [
            (status, rules.STATUS_LABELS[status], count)
            for status, count in self.indicators_by_status.items()
            if count
        ]


@dataclass(frozen=True)
class YearFunding:
    year: int
    allocated_by_source: list[tuple[str, Decimal]]  # (French label, amount), non-zero only
    allocated: Decimal
    spent: Decimal
    lines: list[FundingLine]

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def execution_rate(self) -> Decimal | None:
        return rules.execution_rate(self.spent, self.allocated)


def contract_dashboard(contract: Contract, year: int, computed: dict | None = None) -> dict:
    """Progress of the contract for `year`: per theme, actions by status and indicators
    with their status; and the contract's funding per year. `computed`: automatic values
    the caller already has, by computation code (each is otherwise computed once here)."""
    computed = {} if computed is None else dict(computed)
    federation = contract.federation
    themes = []
    all_rows = []
    for theme in contract_tree(contract):
        counts = defaultdict(int)
        by_status = defaultdict(int)
        blocks = []
        for objective in theme.objectives.all():
            actions = list(objective.actions.all())
            for action in actions:
                counts[action.status] += 1
            rows = [
                indicator_row(i, year, federation, computed) for i in objective.indicators.all()
            ]
            action_blocks = [
                ActionBlock(
                    a, [indicator_row(i, year, federation, computed) for i in a.indicators.all()]
                )
                for a in actions
            ]
            for row in rows + [r for block in action_blocks for r in block.indicators]:
                by_status[row.status] += 1
                all_rows.append(row)
            blocks.append(ObjectiveBlock(objective, action_blocks, rows))
        themes.append(
            ThemeBlock(
                theme,
                blocks,
                [(code, label, counts[code]) for code, label in Action.Status.choices],
                {status: by_status[status] for status in rules.STATUS_LABELS},
            )
        )
    return {
        "themes": themes,
        "indicator_rows": all_rows,
        "funding": funding_by_year(contract.federation, contract=contract),
    }


# --- funding -------------------------------------------------------------------------------


def funding_lines_of(federation, *, year: int | None = None) -> QuerySet[FundingLine]:
    lines = (
        FundingLine.objects.filter(federation=federation)
        .select_related("contract", "action")
        .annotate(spent=Sum("spendings__amount"))
    )
    if year is not None:
        lines = lines.filter(year=year)
    return lines.order_by("-year", "-amount", "label")


def funding_by_year(federation, *, contract: Contract | None = None) -> list[YearFunding]:
    """Per year (latest first): allocated by source, allocated, spent, balance, rate.

    With a contract, only its lines; without, every line of the federation (the unions'
    contributions outside the CPOM included). Spendings count in their line's year.
    """
    lines = funding_lines_of(federation)
    if contract is not None:
        lines = lines.filter(contract=contract)
    by_year: dict[int, list[FundingLine]] = defaultdict(list)
    for line in lines:
        by_year[line.year].append(line)
    labels = dict(FundingSource.choices)
    result = []
    for year in sorted(by_year, reverse=True):
        year_lines = by_year[year]
        by_source = defaultdict(lambda: ZERO)
        for line in year_lines:
            by_source[line.source] += line.amount
        result.append(
            YearFunding(
                year=year,
                allocated_by_source=[
                    (labels[code], by_source[code])
                    for code in FundingSource.values
                    if code in by_source
                ],
                allocated=sum((line.amount for line in year_lines), ZERO),
                spent=sum((line.spent or ZERO for line in year_lines), ZERO),
                lines=year_lines,
            )
        )
    return result


def spendings_of(line: FundingLine) -> QuerySet[Spending]:
    return line.spendings.all()


def funding_breakdown(federation, year: int) -> list[dict]:
    """One dict per funding line of the year, largest first: {"label": str, "source": str
    (French label), "amount": Decimal, "share": Decimal (percent, one decimal, shares add
    up to 100.0)}."""
    lines = list(
        FundingLine.objects.filter(federation=federation, year=year).order_by(
            "-amount", "label", "id"
        )
    )
    shares = rules.shares([line.amount for line in lines])
    return [
        {
            "label": line.label,
            "source": line.get_source_display(),
            "amount": line.amount,
            "share": share,
        }
        for line, share in zip(lines, shares, strict=True)
    ]


def indicators_for_report(federation, year: int) -> list[dict]:
    """{"contract": str, "theme": str, "indicator": str, "unit": str, "target": Decimal|None,
    "value": Decimal|None, "status": "vert"|"orange"|"rouge"|"gris"} for the contracts in
    force that year.

    Order: contract, theme, objective, then the objective's own indicators before those
    of its actions.
    """
    rows = []
    for contract in contracts_in_force(federation, year).order_by("start_year", "title", "id"):
        for theme in contract_tree(contract):
            for objective in theme.objectives.all():
                indicators = list(objective.indicators.all())
                for action in objective.actions.all():
                    indicators += list(action.indicators.all())
                for indicator in indicators:
                    row = indicator_row(indicator, year, federation)
                    rows.append(
                        {
                            "contract": contract.title,
                            "theme": theme.title,
                            "indicator": indicator.title,
                            "unit": indicator.unit,
                            "model": indicator,
                            "target": row.target,
                            "value": row.value,
                            "status": row.status,
                        }
                    )
    return rows
