from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interurps.cpom import rules
from interurps.cpom.rules import AMBER, GREEN, GREY, RED, execution_rate, indicator_status, shares

D = Decimal


@pytest.mark.parametrize(
    ("value", "target", "baseline", "direction", "expected"),
    [
        (None, D(20), D(10), "hausse", GREY),
        (D(20), None, D(10), "hausse", GREY),
        (D(20), D(20), D(10), "hausse", GREEN),  # exactly 100 %
        (D(25), D(20), D(10), "hausse", GREEN),  # beyond the target
        (D("17.5"), D(20), D(10), "hausse", AMBER),  # exactly 75 %
        (D("17.49"), D(20), D(10), "hausse", RED),  # just below 75 %
        (D(5), D(20), D(10), "hausse", RED),  # went backwards
        (D(10), D(10), D(10), "hausse", GREEN),  # target == baseline, reached
        (D(9), D(10), D(10), "hausse", RED),  # target == baseline, missed
        (D(8), D(5), D(10), "baisse", RED),  # lower is better: 40 % of the way
        (D("6.25"), D(5), D(10), "baisse", AMBER),  # 75 % of the way down
        (D(5), D(5), D(10), "baisse", GREEN),
        (D(4), D(5), D(10), "baisse", GREEN),
        (D(12), D(5), D(10), "baisse", RED),
        (D(11), D(10), D(10), "baisse", RED),  # target == baseline, lower is better, missed
        (D(7), D(8), D(10), "hausse", RED),  # target below the baseline for a rising one
        (D(8), D(8), D(10), "hausse", GREEN),
    ],
)
def test_indicator_status(value, target, baseline, direction, expected):
    assert indicator_status(value, target, baseline, direction) == expected


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="Sens inconnu"):
        indicator_status(D(1), D(2), D(0), "stable")


def test_execution_rate():
    assert execution_rate(D(75_000), D(100_000)) == D("75.0")
    assert execution_rate(D(0), D(100)) == D("0.0")
    assert execution_rate(D(2), D(3)) == D("66.7")
    assert execution_rate(D(120), D(100)) == D("120.0")
    assert execution_rate(D(10), D(0)) is None
    with pytest.raises(ValueError):
        execution_rate(D(-1), D(10))


def test_shares_of_pays_de_la_loire_2021_match_the_report():
    amounts = [D(100_000), D(80_000), D(55_000), D(50_000), D(25_000)]
    assert shares(amounts) == [D("32.3"), D("25.8"), D("17.7"), D("16.1"), D("8.1")]


def test_shares_edge_cases():
    assert shares([]) == []
    assert shares([D(0), D(0)]) == [D("0.0"), D("0.0")]
    assert shares([D(5)]) == [D("100.0")]
    assert shares([D(1), D(1), D(1)]) == [D("33.4"), D("33.3"), D("33.3")]  # tie: first wins
    with pytest.raises(ValueError):
        shares([D(1), D(-1)])


def naive_shares(amounts):
    """Oracle: hand out the missing tenths one at a time to the largest remainder."""
    total = sum(Fraction(a) for a in amounts)
    exact = [Fraction(a) * 1000 / total for a in amounts]
    tenths = [int(e) for e in exact]
    while sum(tenths) < 1000:
        best = max(range(len(exact)), key=lambda i: (exact[i] - tenths[i], -i))
        tenths[best] += 1
        exact[best] = Fraction(tenths[best])  # its remainder is used up
    return [Decimal(t).scaleb(-1) for t in tenths]


amounts_strategy = st.lists(
    st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
).filter(lambda xs: sum(xs) > 0)


@given(amounts_strategy)
def test_shares_add_up_to_100_and_stay_close_to_the_exact_share(amounts):
    result = shares(amounts)
    assert sum(result) == D("100.0")
    total = sum(amounts)
    for amount, share in zip(amounts, result, strict=True):
        assert abs(share - amount * 100 / total) < D("0.1")
        assert share == share.quantize(D("0.1"))


@given(amounts_strategy)
def test_shares_agree_with_the_naive_oracle(amounts):
    assert shares(amounts) == naive_shares(amounts)


@given(
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(min_value=-1000, max_value=1000, places=2),
)
def test_status_never_worsens_when_the_value_improves(value, target, baseline):
    order = {RED: 0, AMBER: 1, GREEN: 2}
    for direction, better in (("hausse", value + 1), ("baisse", value - 1)):
        before = indicator_status(value, target, baseline, direction)
        after = indicator_status(better, target, baseline, direction)
        assert order[after] >= order[before]


def test_every_status_has_a_label_and_a_colour():
    assert set(rules.STATUS_LABELS) == set(rules.STATUS_COLORS) == {GREEN, AMBER, RED, GREY}
