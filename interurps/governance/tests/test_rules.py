import doctest
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interurps.governance import rules
from interurps.governance.rules import quorum


def test_the_example_of_the_meeting_page():
    result = quorum(14, 7, 2)
    assert (result.required, result.counted, result.reached) == (7, 9, True)
    assert result.explanation_fr.startswith(
        "Quorum atteint : 9 membres présents ou représentés sur 14, 7 requis "
        "(la moitié au moins des membres)."
    )
    assert "Calcul : 14 × 1/2 = 7 ; 7 présents + 2 représentés = 9." in result.explanation_fr


def test_exactly_half_reaches_the_quorum():
    assert quorum(14, 7, 0).reached
    assert not quorum(14, 6, 0).reached


def test_odd_membership_rounds_up():
    result = quorum(15, 7, 0)
    assert result.required == 8
    assert not result.reached
    assert "15 × 1/2 = 7,5, arrondi à 8" in result.explanation_fr
    assert result.explanation_fr.startswith("Quorum non atteint : 7 membres présents ou")


def test_proxies_count_or_not():
    assert quorum(14, 5, 2).reached
    result = quorum(14, 5, 2, counts_proxies=False)
    assert (result.counted, result.reached) == (5, False)
    assert "5 membres présents sur 14 (les procurations ne sont pas comptées)" in (
        result.explanation_fr
    )


def test_other_fractions_are_worded():
    result = quorum(14, 10, 0, fraction=(2, 3))
    assert result.required == 10 and result.reached
    assert "les deux tiers au moins des membres" in result.explanation_fr
    assert "14 × 2/3 = 9,33…, arrondi à 10" in result.explanation_fr
    assert "3/5 au moins" in quorum(10, 6, 0, fraction=(3, 5)).explanation_fr
    assert "la moitié au moins" in quorum(10, 6, 0, fraction=(2, 4)).explanation_fr


def test_singular():
    assert "1 membre présent ou représenté sur 1, 1 requis" in quorum(1, 1, 0).explanation_fr


@pytest.mark.parametrize(
    "args",
    [
        (0, 0, 0),
        (-1, 0, 0),
        (10, -1, 0),
        (10, 8, 3),
        (10, 5, 0, (0, 2)),
        (10, 5, 0, (3, 2)),
        (10, 5, 0, (1, 0)),
    ],
)
def test_bad_input_raises(args):
    with pytest.raises(ValueError):
        quorum(*args)


def test_decision_outcome():
    assert rules.decision_outcome(5, 4) == rules.ADOPTED
    assert rules.decision_outcome(4, 4) == rules.REJECTED  # a tie rejects
    assert rules.decision_outcome(0, 0) == rules.REJECTED
    with pytest.raises(ValueError):
        rules.decision_outcome(-1, 0)


def test_vote_totals():
    assert not rules.votes_exceed_voters(6, 2, 1, 9)
    assert rules.votes_exceed_voters(6, 3, 1, 9)


def test_docstring_examples():
    assert doctest.testmod(rules).failed == 0


@st.composite
def meetings(draw):
    members = draw(st.integers(1, 60))
    present = draw(st.integers(0, members))
    represented = draw(st.integers(0, members - present))
    denominator = draw(st.integers(1, 6))
    numerator = draw(st.integers(1, denominator))
    return members, present, represented, (numerator, denominator), draw(st.booleans())


@given(meetings())
def test_required_is_the_ceiling_of_the_share(case):
    members, present, represented, fraction, proxies = case
    result = quorum(members, present, represented, fraction, proxies)
    assert result.required == math.ceil(Fraction(members * fraction[0], fraction[1]))
    assert 1 <= result.required <= members
    assert result.reached == (result.counted >= result.required)


@given(meetings())
def test_reached_is_monotonic_in_present(case):
    members, present, represented, fraction, proxies = case
    if present + represented < members:
        before = quorum(members, present, represented, fraction, proxies).reached
        after = quorum(members, present + 1, represented, fraction, proxies).reached
        assert after or not before
