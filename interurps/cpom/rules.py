"""CPOM follow-up rules, with no Django import: indicator status, execution rate, shares.

Indicator status (« feu tricolore »), for one indicator and one year:

- grey (« gris »): no value measured or computed for the year, or no target for the year;
- green (« vert »): the target is reached: value ≥ target for an indicator expected to
  rise (« hausse »), value ≤ target for one expected to fall (« baisse »);
- otherwise progress = (value − baseline) / (target − baseline), the share of the way
  from the baseline to the target that has been covered (the formula reads the same for
  both directions). Amber (« orange ») when progress ≥ 75 %, red (« rouge ») below;
- a target that is not a progression from the baseline (equal to it, or on the wrong
  side of it for the direction) and is not reached gives red: there is no way to measure
  partial progress towards it.

The thresholds are the same all year long: the status compares the latest value with
the year's target, not with a pro-rata of the year.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

GREEN, AMBER, RED, GREY = "vert", "orange", "rouge", "gris"
STATUS_LABELS = {
    GREEN: "Atteint",
    AMBER: "En bonne voie",
    RED: "En retard",
    GREY: "Non renseigné",
}
# Colours of the badges; the text label always goes with them (never colour alone).
STATUS_COLORS = {GREEN: "#1b7a3a", AMBER: "#b35c00", RED: "#b3261e", GREY: "#6b6b6b"}
AMBER_THRESHOLD = Decimal("0.75")
UP, DOWN = "hausse", "baisse"


def progress(value: Decimal, target: Decimal, baseline: Decimal) -> Decimal | None:
    """Share of the way from `baseline` to `target` covered by `value` (1 = reached).

    None when the target equals the baseline (no way to cover).

    >>> progress(Decimal(15), Decimal(20), Decimal(10))
    Decimal('0.5')
    >>> progress(Decimal(8), Decimal(5), Decimal(10))  # lower is better
    Decimal('0.4')
    """
    if target == baseline:
        return None
    return (Decimal(value) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline))


def indicator_status(
    value: Decimal | None,
    target: Decimal | None,
    baseline: Decimal = Decimal(0),
    direction: str = UP,
) -> str:
    """The status of an indicator for a year: "vert", "orange", "rouge" or "gris".

    See the module docstring for the rule.

    >>> indicator_status(Decimal(18), Decimal(20), Decimal(10))
    'orange'
    >>> indicator_status(None, Decimal(20))
    'gris'
    """
    if direction not in (UP, DOWN):
        raise ValueError(f"Sens inconnu : {direction!r} (attendu « hausse » ou « baisse »).")
    if value is None or target is None:
        return GREY
    value, target, baseline = Decimal(value), Decimal(target), Decimal(baseline)
    reached = value >= target if direction == UP else value <= target
    if reached:
        return GREEN
    is_progression = target > baseline if direction == UP else target < baseline
    if not is_progression:
        return RED
    return AMBER if progress(value, target, baseline) >= AMBER_THRESHOLD else RED


def execution_rate(spent: Decimal, allocated: Decimal) -> Decimal | None:
    """Spent amount as a percentage of the allocated amount, one decimal (half up).

    None when nothing is allocated. Overspending gives more than 100.

    >>> execution_rate(Decimal(75000), Decimal(100000))
    Decimal('75.0')
    """
    spent, allocated = Decimal(spent), Decimal(allocated)
    if spent < 0 or allocated < 0:
        raise ValueError("Les montants ne peuvent pas être négatifs.")
    if allocated == 0:
        return None
    return (spent * 100 / allocated).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shares(amounts: list[Decimal]) -> list[Decimal]:
    """Percentages of the total, one decimal each, adding up to exactly 100.0.

    Largest remainder method (Hamilton): every amount gets the floor of its exact share
    in tenths of a percent; the tenths still missing go, one each, to the amounts with
    the largest remainders (ties: the earlier amount in the list). Each share is thus
    within 0.1 of the exact one. An empty list gives an empty list; a zero total gives
    zero shares (there is nothing to share).

    >>> [str(s) for s in shares([Decimal(100), Decimal(80), Decimal(55), Decimal(50), Decimal(25)])]
    ['32.3', '25.8', '17.7', '16.1', '8.1']
    """
    amounts = [Fraction(Decimal(amount)) for amount in amounts]
    if any(amount < 0 for amount in amounts):
        raise ValueError("Les montants ne peuvent pas être négatifs.")
    total = sum(amounts)
    if total == 0:
        return [Decimal("0.0") for _ in amounts]
    quotas = [amount * 1000 / total for amount in amounts]  # in tenths of a percent
    tenths = [int(quota) for quota in quotas]  # floor: quotas are non-negative
    missing = 1000 - sum(tenths)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - tenths[i]), i))
    for index in by_remainder[:missing]:
        tenths[index] += 1
    return [Decimal(t).scaleb(-1) for t in tenths]
