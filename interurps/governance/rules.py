"""Quorum and vote arithmetic of the federation's bodies. Pure Python, no Django.

The statutes of each federation set the quorum of each body (conseil d'administration,
bureau, assemblée générale); the usual wording is "ne délibère valablement que si la
moitié au moins de ses membres sont présents ou représentés". A body stores its own
fraction and whether proxies count, and these functions apply them.
"""

from dataclasses import dataclass
from fractions import Fraction

ADOPTED = "adoptee"
REJECTED = "rejetee"
OUTCOME_LABELS = {ADOPTED: "adoptée", REJECTED: "rejetée"}

# How the statutes usually name a fraction ("la moitié au moins des membres").
FRACTION_WORDS = {
    Fraction(1, 1): "la totalité",
    Fraction(1, 2): "la moitié",
    Fraction(1, 3): "le tiers",
    Fraction(2, 3): "les deux tiers",
    Fraction(1, 4): "le quart",
    Fraction(3, 4): "les trois quarts",
}


@dataclass(frozen=True)
class QuorumResult:
    required: int
    counted: int
    reached: bool
    explanation_fr: str


def fraction_words(fraction: tuple[int, int]) -> str:
    """French wording of a quorum fraction.

    >>> fraction_words((1, 2))
    'la moitié au moins des membres'
    >>> fraction_words((3, 5))
    '3/5 au moins des membres'
    """
    numerator, denominator = _check_fraction(fraction)
    value = Fraction(numerator, denominator)
    words = FRACTION_WORDS.get(value, f"{value.numerator}/{value.denominator}")
    return f"{words} au moins des membres"


def _check_fraction(fraction: tuple[int, int]) -> tuple[int, int]:
    numerator, denominator = fraction
    if denominator <= 0 or numerator <= 0:
        raise ValueError("The quorum fraction must have a positive numerator and denominator.")
    if numerator > denominator:
        raise ValueError("The quorum fraction cannot exceed 1 (all members).")
    return numerator, denominator


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count in (0, 1) else plural}"


def _french_number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    exact = (value * 100).denominator == 1
    text = f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return text if exact else f"{text}…"


def quorum(
    members: int,
    present: int,
    represented: int,
    fraction: tuple[int, int] = (1, 2),
    counts_proxies: bool = True,
) -> QuorumResult:
    """Whether a meeting of a body reaches its quorum.

    Parameters
    ----------
    members : int
        Members of the body in office on the day of the meeting.
    present, represented : int
        Members present, and members absent who gave a proxy to a present member.
    fraction : (int, int)
        The share of the members that must be counted, "(1, 2)" for "la moitié au moins".
    counts_proxies : bool
        Whether represented members count towards the quorum.

    Returns
    -------
    QuorumResult
        ``required`` is ``ceil(members × fraction)``, computed on integers; ``counted``
        is present (+ represented when proxies count); ``reached`` is counted ≥ required.

    Examples
    --------
    >>> result = quorum(14, 7, 2)
    >>> result.required, result.counted, result.reached
    (7, 9, True)
    >>> quorum(15, 7, 0).required
    8
    """
    if members <= 0:
        raise ValueError("A body without members has no quorum.")
    if present < 0 or represented < 0:
        raise ValueError("Present and represented members cannot be negative.")
    if present + represented > members:
        raise ValueError("More members present or represented than members of the body.")
    numerator, denominator = _check_fraction(fraction)

    required = -(-members * numerator // denominator)  # integer ceiling
    counted = present + represented if counts_proxies else present
    reached = counted >= required

    share = fraction_words(fraction)
    head = "Quorum atteint" if reached else "Quorum non atteint"
    if counts_proxies:
        who = (
            f"{_plural(counted, 'membre présent ou représenté', 'membres présents ou représentés')}"
            f" sur {members}"
        )
    else:
        who = f"{_plural(counted, 'membre présent', 'membres présents')} sur {members}"
        if represented:
            who += " (les procurations ne sont pas comptées)"
    product = Fraction(members * numerator, denominator)
    calculation = f"{members} × {numerator}/{denominator} = {_french_number(product)}"
    if product.denominator != 1:
        calculation += f", arrondi à {required}"
    if counts_proxies:
        calculation += (
            f" ; {_plural(present, 'présent', 'présents')}"
            f" + {_plural(represented, 'représenté', 'représentés')} = {counted}"
        )
    else:
        calculation += f" ; {_plural(present, 'présent', 'présents')}, procurations non comptées"
    explanation = f"{head} : {who}, {required} requis ({share}). Calcul : {calculation}."
    return QuorumResult(required, counted, reached, explanation)


def decision_outcome(votes_for: int, votes_against: int) -> str:
    """ADOPTED when more votes for than against, else REJECTED (a tie rejects).

    Abstentions are not counted: the usual rule is "à la majorité des suffrages exprimés".

    >>> decision_outcome(5, 4), decision_outcome(4, 4)
    ('adoptee', 'rejetee')
    """
    if votes_for < 0 or votes_against < 0:
        raise ValueError("Vote counts cannot be negative.")
    return ADOPTED if votes_for > votes_against else REJECTED


def votes_exceed_voters(votes_for: int, votes_against: int, abstentions: int, voters: int) -> bool:
    """True when more votes (abstentions included) are recorded than members who could vote.

    >>> votes_exceed_voters(6, 2, 1, 9), votes_exceed_voters(6, 3, 1, 9)
    (False, True)
    """
    return votes_for + votes_against + abstentions > voters
