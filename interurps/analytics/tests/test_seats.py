"""Tests of the pure seat-allocation rules (no database)."""

import doctest
import json
import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interurps.analytics import seats as seats_module
from interurps.analytics.seats import (
    DESIGNATED_PROFESSIONS,
    ELECTED_PROFESSIONS,
    PROFESSION_CODES,
    TIE_BREAKERS,
    Allocation,
    SeatRule,
    Tie,
    allocate_seats,
    describe_tie_breakers,
    format_decimal_fr,
    is_designated,
    seats_for_union,
)

TEXTBOOK = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_doctests():
    result = doctest.testmod(seats_module)
    assert result.attempted > 0
    assert result.failed == 0


# --- Closed-form examples --------------------------------------------------------------


def test_textbook_dhondt_example():
    result = allocate_seats(TEXTBOOK, 8)
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert list(result.seats) == ["A", "B", "C", "D"]
    assert result.ties == []
    assert [(n, name) for n, name, _ in result.order] == [
        (1, "A"),
        (2, "B"),
        (3, "A"),
        (4, "B"),
        (5, "A"),
        (6, "C"),
        (7, "B"),
        (8, "A"),
    ]
    assert result.order[4][2] == Fraction(100_000, 3)


def test_averages_table_is_votes_over_each_divisor():
    result = allocate_seats(TEXTBOOK, 8)
    assert result.averages["A"] == [Fraction(100_000, d) for d in range(1, 9)]
    assert result.averages["D"][0] == 20_000
    assert all(len(row) == 8 for row in result.averages.values())


def test_single_seat_goes_to_the_largest_list():
    assert allocate_seats({"petite": 10, "grande": 11}, 1).seats == {"petite": 0, "grande": 1}


def test_small_lists_can_win_with_many_seats():
    # 60 seats, 3 lists: quotas 30/20/10 exactly.
    result = allocate_seats({"A": 3000, "B": 2000, "C": 1000}, 60)
    assert result.seats == {"A": 30, "B": 20, "C": 10}


def test_as_dict_is_json_friendly():
    result = allocate_seats({"A": 200, "B": 100}, 2)
    data = result.as_dict()
    assert set(data) == {"seats", "ties", "order"}
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text)["seats"] == {"A": 2, "B": 0}
    assert data["ties"][0]["lists"] == ["A", "B"]
    assert data["ties"][0]["resolved_by"] == "votes"
    assert data["order"][1] == {"seat": 2, "list": "A", "average": "100", "average_float": 100.0}


def test_zero_vote_lists_never_get_a_seat():
    result = allocate_seats({"A": 5, "B": 0, "C": 0}, 4)
    assert result.seats == {"A": 4, "B": 0, "C": 0}
    assert result.ties == []


# --- Ties ------------------------------------------------------------------------------


def test_tie_broken_by_votes():
    # Seat 2: A's second average (200 / 2) equals B's first (100 / 1).
    result = allocate_seats({"A": 200, "B": 100}, 2)
    assert result.seats == {"A": 2, "B": 0}
    assert result.ties == [
        Tie(
            seat_number=2,
            lists=("A", "B"),
            resolved_by="votes",
            winner="A",
            seed=None,
            explanation=(
                "Égalité de moyenne entre A et B pour le 2e siège : "
                "attribué à A, qui a le plus de suffrages."
            ),
        )
    ]


def test_tie_broken_by_age_when_votes_are_equal():
    result = allocate_seats({"A": 100, "B": 100}, 1, mean_ages={"A": 45.0, "B": 52.5})
    assert result.seats == {"A": 0, "B": 1}
    (tie,) = result.ties
    assert (tie.seat_number, tie.resolved_by, tie.winner) == (1, "age", "B")
    assert "moyenne d'âge la plus élevée" in tie.explanation


def test_age_breaker_is_skipped_when_an_age_is_missing():
    result = allocate_seats({"A": 100, "B": 100}, 1, mean_ages={"A": 60}, seed=3)
    assert result.ties[0].resolved_by == "lot"


def test_age_only_considers_lists_still_tied_after_votes():
    # Seat 2: A (200/2), B (100/1), C (100/1) tie; votes keeps A alone.
    result = allocate_seats({"A": 200, "B": 100, "C": 100}, 2, mean_ages={"B": 70, "C": 30})
    assert result.ties[0].lists == ("A", "B", "C")
    assert result.ties[0].resolved_by == "votes"
    # Seat 3: B and C tie on 100, same votes: the older list wins.
    result = allocate_seats({"A": 200, "B": 100, "C": 100}, 3, mean_ages={"B": 70, "C": 30})
    assert result.ties[1].resolved_by == "age"
    assert result.ties[1].winner == "B"
    assert result.seats == {"A": 2, "B": 1, "C": 0}


def test_tie_broken_by_lot_is_reproducible_with_a_seed():
    votes = {"Zeta": 100, "Alpha": 100, "Mu": 100}
    first = allocate_seats(votes, 1, seed=42)
    again = allocate_seats(votes, 1, seed=42)
    (tie,) = first.ties
    assert tie == again.ties[0]
    assert tie.resolved_by == "lot"
    assert tie.seed == 42
    assert tie.lists == ("Zeta", "Alpha", "Mu")
    assert tie.winner == random.Random(42).choice(["Alpha", "Mu", "Zeta"])
    assert "tirage au sort" in tie.explanation and "graine 42" in tie.explanation


def test_lot_without_seed_records_a_seed_that_replays_the_draw():
    votes = {"A": 7, "B": 7, "C": 7, "D": 7}
    result = allocate_seats(votes, 2)
    assert result.ties and all(tie.resolved_by == "lot" for tie in result.ties)
    seed = result.ties[0].seed
    assert isinstance(seed, int)
    replay = allocate_seats(votes, 2, seed=seed)
    assert replay.seats == result.seats
    assert replay.ties == result.ties


def test_successive_draws_are_not_forced_to_the_same_list():
    # Two equal lists, three seats: the first and third seats are drawn. With one
    # generator per allocation some seeds give 2 seats to A and others to B.
    outcomes = {
        tuple(allocate_seats({"A": 10, "B": 10}, 3, seed=s).seats.values()) for s in range(30)
    }
    assert outcomes == {(2, 1), (1, 2)}


def test_tie_breakers_order_is_configurable():
    votes = {"A": 200, "B": 100}
    # Age first: B's candidates are older, so B wins the tie for seat 2.
    result = allocate_seats(votes, 2, tie_breakers=("age", "votes"), mean_ages={"A": 40, "B": 50})
    assert result.seats == {"A": 1, "B": 1}
    assert result.ties[0].resolved_by == "age"


def test_unresolvable_tie_raises():
    with pytest.raises(ValueError, match="impossible de départager avec les règles configurées"):
        allocate_seats({"A": 10, "B": 10}, 1, tie_breakers=("votes", "age"))
    with pytest.raises(ValueError, match=r"règles configurées \(aucune\)"):
        allocate_seats({"A": 10, "B": 10}, 1, tie_breakers=())


def test_tie_that_does_not_change_totals_is_still_recorded_for_its_seat():
    # A and B tie for seats 1 and 2; each gets one seat whatever the tie-break, but the
    # tie decides seat 1 and is recorded there (documented choice).
    result = allocate_seats({"A": 50, "B": 50, "C": 10}, 2)
    assert result.seats == {"A": 1, "B": 1, "C": 0}
    assert [tie.seat_number for tie in result.ties] == [1]
    assert result.ties[0].lists == ("A", "B")


def test_default_tie_breakers():
    assert TIE_BREAKERS == ("votes", "age", "lot")


# --- Errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "n", "message"),
    [
        ({"A": 10}, 0, "au moins 1"),
        ({"A": 10}, -3, "au moins 1"),
        ({"A": 10}, 2.0, "entier"),
        ({"A": 10}, True, "entier"),
        ({}, 3, "Aucune liste"),
        ({"A": 0, "B": 0}, 3, "Aucune liste n'a obtenu de voix"),
        ({"A": -1, "B": 5}, 3, "« A » : nombre de voix négatif"),
        ({"A": 1.5}, 3, "« A » : le nombre de voix doit être un entier"),
        ({"A": "12"}, 3, "« A » : le nombre de voix doit être un entier"),
        ({"A": True}, 3, "« A » : le nombre de voix doit être un entier"),
        ({"": 3}, 3, "Nom de liste vide"),
        ({"  ": 3}, 3, "Nom de liste vide"),
        ({1: 3}, 3, "Nom de liste vide ou invalide"),
        ({"Liste A": 3, " liste a ": 4}, 3, "Listes en double"),
    ],
)
def test_invalid_input(votes, n, message):
    with pytest.raises(ValueError, match=message):
        allocate_seats(votes, n)


def test_unknown_tie_breaker():
    with pytest.raises(ValueError, match="Règle de départage inconnue : « coin »"):
        allocate_seats({"A": 1}, 1, tie_breakers=("votes", "coin"))
    with pytest.raises(ValueError, match="répétée"):
        allocate_seats({"A": 1}, 1, tie_breakers=("votes", "votes"))


def test_invalid_mean_age():
    with pytest.raises(ValueError, match="moyenne d'âge invalide"):
        allocate_seats({"A": 1}, 1, mean_ages={"A": "vieux"})


# --- Property tests --------------------------------------------------------------------

names = st.sampled_from(["A", "B", "C", "D", "E", "F", "G"])
vote_maps = st.dictionaries(names, st.integers(min_value=0, max_value=5_000), min_size=1)
with_votes = vote_maps.filter(lambda votes: any(votes.values()))
seat_counts = st.integers(min_value=1, max_value=40)


def naive_highest_averages(votes, n):
    """Independent implementation: the ``n`` largest quotients ``votes / d``."""
    quotients = sorted(
        ((Fraction(v, d), name) for name, v in votes.items() if v for d in range(1, n + 1)),
        key=lambda item: item[0],
        reverse=True,
    )
    counts = Counter(name for _, name in quotients[:n])
    return {name: counts.get(name, 0) for name in votes}


@settings(max_examples=200, deadline=None)
@given(votes=with_votes, n=seat_counts, seed=st.integers(0, 2**32 - 1))
def test_seats_always_sum_to_total(votes, n, seed):
    result = allocate_seats(votes, n, seed=seed)
    assert isinstance(result, Allocation)
    assert sum(result.seats.values()) == n
    assert list(result.seats) == list(votes)
    assert [number for number, _, _ in result.order] == list(range(1, n + 1))


@settings(max_examples=200, deadline=None)
@given(votes=with_votes, n=seat_counts, seed=st.integers(0, 2**32 - 1))
def test_zero_vote_lists_get_nothing(votes, n, seed):
    result = allocate_seats(votes, n, seed=seed)
    assert all(result.seats[name] == 0 for name, v in votes.items() if v == 0)


@settings(max_examples=200, deadline=None)
@given(
    votes=with_votes,
    n=seat_counts,
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
)
def test_more_votes_never_cost_a_seat(votes, n, data, seed):
    name = data.draw(st.sampled_from(sorted(votes)))
    extra = data.draw(st.integers(min_value=1, max_value=5_000))
    before = allocate_seats(votes, n, seed=seed).seats[name]
    after = allocate_seats({**votes, name: votes[name] + extra}, n, seed=seed).seats[name]
    assert after >= before


@settings(max_examples=300, deadline=None)
@given(
    votes=st.dictionaries(names, st.integers(min_value=0, max_value=10**6), min_size=1).filter(
        lambda votes: any(votes.values())
    ),
    n=seat_counts,
)
def test_matches_brute_force_when_no_tie(votes, n):
    result = allocate_seats(votes, n, seed=0)
    if result.ties:
        # A tie decided a seat: the naive sort has no rule for it, compare totals only.
        assert sum(result.seats.values()) == n
        return
    assert result.seats == naive_highest_averages(votes, n)


def test_brute_force_agrees_on_textbook():
    assert naive_highest_averages(TEXTBOOK, 8) == allocate_seats(TEXTBOOK, 8).seats


# --- Number of members per union -------------------------------------------------------


@pytest.mark.parametrize(
    ("voters", "expected"),
    [
        (0, 10),
        (500, 10),
        (501, 20),
        (3_000, 20),
        (3_001, 30),
        (5_000, 30),
        (5_001, 40),
        (10_000, 40),
        (10_001, 60),
        (40_000, 60),
    ],
)
def test_physicians_scale(voters, expected):
    rule = seats_for_union("medecins", voters)
    assert rule == SeatRule(rule.seats, rule.source, rule.confirmed, rule.note)
    assert rule.seats == expected
    assert rule.confirmed is True
    assert rule.source == "Code de la santé publique, art. R4031-6, I"
    assert "collèges" in rule.note and "non confirmé" in rule.note


@pytest.mark.parametrize(
    ("voters", "expected"),
    [(0, 3), (200, 3), (201, 6), (500, 6), (501, 9), (1_500, 9), (1_501, 12), (2_500, 12)]
    + [(2_501, 15), (3_500, 15)],
)
@pytest.mark.parametrize(
    "profession",
    ["infirmiers", "masseurs-kinesitherapeutes", "chirurgiens-dentistes", "pharmaciens"]
    + ["orthophonistes"],
)
def test_other_elected_unions_scale(profession, voters, expected):
    rule = seats_for_union(profession, voters)
    assert (rule.seats, rule.confirmed) == (expected, True)


@pytest.mark.parametrize("voters", [3_501, 4_800, 10_000, 100_000])
@pytest.mark.parametrize("profession", ELECTED_PROFESSIONS[1:])
def test_eighteen_members_from_3501_voters(profession, voters):
    """R4031-6 II 6°: 18 members from 3,501 voters (issue 11), with a French source."""
    rule = seats_for_union(profession, voters)
    assert (rule.seats, rule.confirmed) == (18, True)
    assert rule.source == "Code de la santé publique, art. R4031-6, II, 6°"


@pytest.mark.parametrize(
    ("voters", "paragraph"), [(200, "1°"), (201, "2°"), (1_500, "3°"), (2_500, "4°"), (3_500, "5°")]
)
def test_sources_are_in_french_with_the_paragraph(voters, paragraph):
    rule = seats_for_union("pharmaciens", voters)
    assert rule.source == f"Code de la santé publique, art. R4031-6, II, {paragraph}"
    assert "http" not in rule.source + rule.note
    assert "R4031-27" in rule.note


@pytest.mark.parametrize("profession", DESIGNATED_PROFESSIONS)
def test_designated_unions_have_no_elected_seats(profession):
    rule = seats_for_union(profession, 300)
    assert (rule.seats, rule.confirmed) == (None, False)
    assert "désignés" in rule.note and "L4031-2" in rule.source
    assert is_designated(profession)


def test_six_professions_elect_four_are_designated():
    assert sorted(ELECTED_PROFESSIONS + DESIGNATED_PROFESSIONS) == sorted(PROFESSION_CODES)
    assert set(ELECTED_PROFESSIONS) == {
        "medecins",
        "chirurgiens-dentistes",
        "pharmaciens",
        "infirmiers",
        "masseurs-kinesitherapeutes",
        "orthophonistes",
    }
    assert not any(is_designated(code) for code in ELECTED_PROFESSIONS)
    with pytest.raises(ValueError, match="Profession inconnue"):
        is_designated("veterinaires")


def test_tie_breakers_in_words():
    assert describe_tie_breakers(TIE_BREAKERS) == (
        "en cas d'égalité : le plus grand nombre de suffrages, puis la moyenne d'âge la plus "
        "élevée, puis tirage au sort"
    )
    assert describe_tie_breakers(["lot", "votes"]) == (
        "en cas d'égalité : tirage au sort, puis le plus grand nombre de suffrages"
    )
    with pytest.raises(ValueError, match="inconnue"):
        describe_tie_breakers(["age", "taille"])
    with pytest.raises(ValueError, match="aucune"):
        describe_tie_breakers([])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.5, "1\u202f234,5"),
        ("100000.00", "100\u202f000"),
        (Fraction(100000, 3), "33\u202f333,33"),
        (Fraction(7, 4), "1,75"),
        (0, "0"),
        ("1234567.10", "1\u202f234\u202f567,1"),
    ],
)
def test_decimal_commas(value, expected):
    assert format_decimal_fr(value) == expected


def test_seats_for_union_errors():
    with pytest.raises(ValueError, match="Profession inconnue"):
        seats_for_union("veterinaires", 100)
    with pytest.raises(ValueError, match="négatif"):
        seats_for_union("medecins", -1)
    with pytest.raises(ValueError, match="entier"):
        seats_for_union("medecins", 10.5)
