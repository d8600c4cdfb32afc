"""URPS seat allocation: highest average (D'Hondt) and number of members per union.

Pure Python (stdlib only, no Django import). Two public entry points:

* :func:`allocate_seats` distributes the seats of one ballot between the lists
  (« scrutin de liste proportionnel à la plus forte moyenne »), one seat at a time, with
  exact averages (:class:`fractions.Fraction`) and an explicit, recorded tie-break.
* :func:`seats_for_union` returns the number of members of an URPS assembly from the
  profession and the number of registered voters, with its source and a ``confirmed`` flag.
  Nothing is taken from memory: where the text could not be read, the function returns
  ``seats=None`` and says « non confirmé »; the user then enters the number with a reason.

Sources actually read (public copies, consulted while writing this module)
---------------------------------------------------------------------------
[R4031-6]   Code de la santé publique (CSP), art. R. 4031-6, unofficial English translation
            with no version date: https://french-business-law.com/rench-legislation-art/
            article-r4031-6-of-the-french-public-health-code . I (médecins): 10 members up to
            500 doctors, 20 from 501 to 3 000, 30 from 3 001 to 5 000, 40 from 5 001 to
            10 000, 60 above 10 000. II (other unions whose members are elected): 3 members
            up to 200 professionals, 6 from 201 to 500, 9 from 501 to 1 500, 12 from 1 501
            to 2 500, 15 from 2 501 to 3 500; the excerpt stops in the middle of 6°
            (« Eighteen members ... between ... »). Issue 11 of this project states the
            bracket: « 18 seats from 3,501 voters »; the module applies 18 members above
            3,500 professionals. The upper bound of 6° and any later bracket were NOT read.
[L4031-2]   CSP art. L. 4031-2 and the ARS page of seed 000: the representation « s'exerce
            par voie d'élection ou de désignation ». Six professions elect their members
            (FSPF, « Six professions appelées à voter », 2021,
            https://www.fspf-urps2021.fr/six-professions-appelees-a-voter/ : médecins,
            chirurgiens-dentistes, infirmiers, masseurs-kinésithérapeutes, pharmaciens,
            orthophonistes); « pour les autres professions, ce sont les syndicats, sur la base
            de leur audience respective [...] qui procèdent aux désignations » (CNPS, same
            page; also actukine.com on the 2010 elections: sages-femmes, pédicures-podologues,
            orthoptistes, biologistes have members designated by the representative unions).
            The regulatory article that details the designation was NOT read: the number of
            members designated by each organisation is recorded as designated, not computed.
[R4031-27]  CSP art. R. 4031-27 (same site, .../article-r4031-27-of-the-french-public-health-
            code): « Le nombre d'électeurs inscrits à la date du cent-vingtième jour avant le
            scrutin détermine le nombre de membres des futures assemblées des unions » ; two
            electoral lists for doctors (médecine générale / autres spécialités).
[R4031-14]  CSP art. R. 4031-14 (https://juriblio.fr/codes/code-de-la-sante-publique/
            partie-reglementaire/quatrieme-partie/livre-preliminaire/titre-iii/
            chapitre-unique/section-2/sous-section-2): for doctors, seats are split between
            colleges « en tenant compte du nombre national d'électeurs de chaque collège » by
            an arrêté of the ministers for health and social security.
[QDM-2020]  Le Quotidien du médecin, 01/12/2020, « Calendrier, répartition par collège... »:
            three arrêtés for the 2021 renewal of six URPS (médecins, chirurgiens-dentistes,
            infirmiers, masseurs-kinésithérapeutes, pharmaciens, orthophonistes); for
            doctors the seats are split equally between generalists and specialists, for
            assemblies of 10, 20, ... up to 60 members. This corroborates the 10-60 scale of
            [R4031-6] I (the 2010 arrêté, JORFTEXT000022293397, still listed 10/30/40/60/80
            member assemblies: an older version of the scale).

Not confirmed (searched, not found or not readable)
---------------------------------------------------
* The URPS-specific article on ties at the highest average. The default order
  ``("votes", "age", "lot")`` follows the project's brief; comparable French texts that were
  read use « plus grand nombre de suffrages » then « le plus âgé » (Code de commerce
  R. 814-7, https://french-business-law.com/french-legislation-art/
  article-r814-7-of-the-french-commercial-code) or the number of votes then a drawing of lots
  (CSP R. 6152-322-8, hospital staff elections). The breakers are therefore configurable.
* How the seats of a designated union are split between the designating organisations
  (their audience is recorded; the split is the one they designate), and the upper bound of
  bracket 6° of [R4031-6] II with any later bracket (applied: 18 members above 3 500).
* The per-college split for doctors: only a press account [QDM-2020] was read, not the
  arrêté itself, so :func:`seats_for_union` returns the total only and reports the split in
  its note.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction

__all__ = [
    "DESIGNATED_PROFESSIONS",
    "ELECTED_PROFESSIONS",
    "TIE_BREAKERS",
    "Allocation",
    "SeatRule",
    "Tie",
    "allocate_seats",
    "describe_tie_breakers",
    "format_decimal_fr",
    "format_list_names",
    "is_designated",
    "ordinal_fr",
    "seats_for_union",
]

TIE_BREAKERS = ("votes", "age", "lot")  # default order

_BREAKER_PHRASES = {
    "votes": "qui a le plus de suffrages",
    "age": "dont les candidats ont la moyenne d'âge la plus élevée",
}


@dataclass(frozen=True)
class Tie:
    """A tie on the highest average that decided one seat.

    Attributes
    ----------
    seat_number : int
        1-based number of the seat being attributed.
    lists : tuple of str
        Lists tied on the highest average for that seat, in input order.
    resolved_by : str
        ``"votes"``, ``"age"`` or ``"lot"``: the breaker that settled the tie.
    winner : str
        List that received the seat.
    seed : int or None
        Seed of the drawing of lots when ``resolved_by == "lot"``; re-run the allocation
        with it (the first drawing is ``random.Random(seed).choice(sorted(still_tied))``).
    explanation : str
        French sentence for the minutes (procès-verbal).
    """

    seat_number: int
    lists: tuple[str, ...]
    resolved_by: str
    winner: str
    seed: int | None = None
    explanation: str = ""


@dataclass(frozen=True)
class Allocation:
    """Result of :func:`allocate_seats`.

    Attributes
    ----------
    seats : dict
        Seats per list, every list in input order, 0 included.
    averages : dict
        Calculation table: per list, ``votes / d`` for ``d`` in ``1..total_seats``.
    order : list of tuple
        ``(seat number, list, average)`` in attribution order.
    ties : list of Tie
        Ties that decided a seat, in seat order.
    """

    seats: dict[str, int]
    averages: dict[str, list[Fraction]]
    order: list[tuple[int, str, Fraction]]
    ties: list[Tie]

    def as_dict(self) -> dict:
        """JSON-friendly view: ``{"seats": ..., "ties": [...], "order": [...]}``.

        Averages are given both as an exact string (``"100000/3"``) and as a float.

        Examples
        --------
        >>> allocate_seats({"A": 3, "B": 1}, 2).as_dict()["order"][1]
        {'seat': 2, 'list': 'A', 'average': '3/2', 'average_float': 1.5}
        """
        return {
            "seats": dict(self.seats),
            "ties": [_tie_as_dict(tie) for tie in self.ties],
            "order": [
                {
                    "seat": number,
                    "list": name,
                    "average": str(average),
                    "average_float": float(average),
                }
                for number, name, average in self.order
            ],
        }


def _tie_as_dict(tie: Tie) -> dict:
    data = asdict(tie)
    data["lists"] = list(tie.lists)
    return data


def ordinal_fr(number: int) -> str:
    """French abbreviated ordinal.

    Examples
    --------
    >>> ordinal_fr(1), ordinal_fr(5)
    ('1er', '5e')
    """
    return "1er" if number == 1 else f"{number}e"


def format_list_names(names: Sequence[str]) -> str:
    """Join list names the French way.

    Examples
    --------
    >>> format_list_names(["A", "B", "C"])
    'A, B et C'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " et " + names[-1]


def _validate(
    votes: Mapping[str, int],
    seats: int,
    tie_breakers: Sequence[str],
    mean_ages: Mapping[str, float] | None,
) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int):
        raise ValueError(f"Le nombre de sièges doit être un entier (reçu : {seats!r}).")
    if seats < 1:
        raise ValueError(f"Le nombre de sièges doit être au moins 1 (reçu : {seats}).")
    if not votes:
        raise ValueError("Aucune liste : impossible de répartir les sièges.")
    seen: dict[str, str] = {}
    for name, count in votes.items():
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Nom de liste vide ou invalide : {name!r}.")
        key = name.strip().casefold()
        if key in seen:
            raise ValueError(
                f"Listes en double : « {seen[key]} » et « {name} » "
                "(la casse et les espaces ne distinguent pas deux listes)."
            )
        seen[key] = name
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValueError(
                f"Liste « {name} » : le nombre de voix doit être un entier (reçu : {count!r})."
            )
        if count < 0:
            raise ValueError(f"Liste « {name} » : nombre de voix négatif ({count}).")
    if all(count == 0 for count in votes.values()):
        raise ValueError("Aucune liste n'a obtenu de voix : impossible de répartir les sièges.")
    for breaker in tie_breakers:
        if breaker not in TIE_BREAKERS:
            raise ValueError(
                f"Règle de départage inconnue : « {breaker} » "
                f"(règles possibles : {', '.join(TIE_BREAKERS)})."
            )
    if len(set(tie_breakers)) != len(tie_breakers):
        raise ValueError("Une règle de départage est répétée : " + ", ".join(tie_breakers) + ".")
    for name, age in (mean_ages or {}).items():
        if isinstance(age, bool) or not isinstance(age, int | float):
            raise ValueError(f"Liste « {name} » : moyenne d'âge invalide ({age!r}).")


def allocate_seats(
    votes: Mapping[str, int],
    seats: int,
    *,
    tie_breakers: Sequence[str] = TIE_BREAKERS,
    mean_ages: Mapping[str, float] | None = None,
    seed: int | None = None,
) -> Allocation:
    """Distribute ``seats`` between lists at the highest average (D'Hondt).

    Seats are attributed one at a time to the list with the highest average
    ``votes / (seats already won + 1)``. Lists with no vote never get a seat.

    When several lists share the highest average for a seat, ``tie_breakers`` are applied
    in order:

    * ``"votes"``: the list with more valid votes wins;
    * ``"age"``: the list whose candidates are older on average (``mean_ages[list]``,
      larger wins); skipped when the age of one of the still-tied lists is missing;
    * ``"lot"``: ``random.Random(seed).choice`` over the still-tied lists sorted by name.
      Without ``seed``, one is drawn with :class:`random.SystemRandom` and recorded in the
      :class:`Tie`, so that the drawing can be re-run. One generator is seeded per
      allocation: the first drawing is exactly ``random.Random(seed).choice(...)``, a
      later one is the next choice of the same generator (so that two successive
      drawings between the same lists are independent); replay them by re-running
      :func:`allocate_seats` with the recorded seed.

    Every tie on the highest average is recorded against the seat it decides, even when it
    does not change the totals (two lists tied for seats 5 and 6 each get one seat, but the
    tie still decides who gets seat 5 and is recorded for seat 5). As a consequence a tie
    that the configured breakers cannot settle raises :class:`ValueError` even in that case.

    Parameters
    ----------
    votes : Mapping[str, int]
        Valid votes per list; the mapping order is kept in the result.
    seats : int
        Number of seats to fill (at least 1).
    tie_breakers : Sequence[str], optional
        Order of the tie-break rules, among ``"votes"``, ``"age"``, ``"lot"``.
    mean_ages : Mapping[str, float], optional
        Mean age of the candidates of each list, for the ``"age"`` rule.
    seed : int, optional
        Seed of the drawing of lots.

    Returns
    -------
    Allocation

    Raises
    ------
    ValueError
        Invalid input (French message naming the list or value), no list with votes, or a
        tie that the configured rules cannot resolve.

    Examples
    --------
    The textbook example:

    >>> result = allocate_seats({"A": 100000, "B": 80000, "C": 30000, "D": 20000}, 8)
    >>> result.seats
    {'A': 4, 'B': 3, 'C': 1, 'D': 0}
    >>> result.order[:3]
    [(1, 'A', Fraction(100000, 1)), (2, 'B', Fraction(80000, 1)), (3, 'A', Fraction(50000, 1))]

    A tie settled by the number of votes (A's second average equals B's first):

    >>> tie = allocate_seats({"A": 200, "B": 100}, 2).ties[0]
    >>> tie.explanation
    'Égalité de moyenne entre A et B pour le 2e siège : attribué à A, qui a le plus de suffrages.'

    >>> allocate_seats({"A": 10, "B": 10}, 1, tie_breakers=("votes",))
    Traceback (most recent call last):
    ...
    ValueError: Égalité de moyenne entre A et B pour le 1er siège : impossible de départager avec les règles configurées (votes).
    """  # noqa: E501
    tie_breakers = tuple(tie_breakers)
    _validate(votes, seats, tie_breakers, mean_ages)

    names = list(votes)
    won = dict.fromkeys(names, 0)
    averages = {name: [Fraction(votes[name], d) for d in range(1, seats + 1)] for name in names}
    order: list[tuple[int, str, Fraction]] = []
    ties: list[Tie] = []
    lot_seed = seed
    lot_rng: random.Random | None = None

    for seat_number in range(1, seats + 1):
        current = {name: Fraction(votes[name], won[name] + 1) for name in names if votes[name]}
        best = max(current.values())
        tied = [name for name, average in current.items() if average == best]
        if len(tied) == 1:
            winner = tied[0]
        else:
            if "lot" in tie_breakers and lot_rng is None:
                # One generator per allocation, seeded once; the seed is recorded.
                if lot_seed is None:
                    lot_seed = random.SystemRandom().randrange(2**32)
                lot_rng = random.Random(lot_seed)
            tie = _break_tie(seat_number, tied, votes, tie_breakers, mean_ages, lot_seed, lot_rng)
            ties.append(tie)
            winner = tie.winner
        won[winner] += 1
        order.append((seat_number, winner, best))

    return Allocation(seats=won, averages=averages, order=order, ties=ties)


def _break_tie(
    seat_number: int,
    tied: list[str],
    votes: Mapping[str, int],
    tie_breakers: tuple[str, ...],
    mean_ages: Mapping[str, float] | None,
    lot_seed: int | None,
    lot_rng: random.Random | None,
) -> Tie:
    prefix = (
        f"Égalité de moyenne entre {format_list_names(tied)} "
        f"pour le {ordinal_fr(seat_number)} siège"
    )
    remaining = list(tied)
    for breaker in tie_breakers:
        if breaker == "votes":
            top = max(votes[name] for name in remaining)
            remaining = [name for name in remaining if votes[name] == top]
        elif breaker == "age":
            if mean_ages is None or any(name not in mean_ages for name in remaining):
                continue
            top_age = max(mean_ages[name] for name in remaining)
            remaining = [name for name in remaining if mean_ages[name] == top_age]
        else:  # "lot"
            if lot_rng is None:  # pragma: no cover - allocate_seats always provides it
                lot_rng = random.Random(lot_seed)
            winner = lot_rng.choice(sorted(remaining))
            explanation = (
                f"{prefix} : attribué par tirage au sort à {winner} "
                f"(tirage entre {format_list_names(sorted(remaining))}, graine {lot_seed})."
            )
            return Tie(seat_number, tuple(tied), "lot", winner, lot_seed, explanation)
        if len(remaining) == 1:
            winner = remaining[0]
            phrase = _BREAKER_PHRASES[breaker]
            return Tie(
                seat_number,
                tuple(tied),
                breaker,
                winner,
                None,
                f"{prefix} : attribué à {winner}, {phrase}.",
            )
    rules = ", ".join(tie_breakers) if tie_breakers else "aucune"
    raise ValueError(f"{prefix} : impossible de départager avec les règles configurées ({rules}).")


# --- Number of members of each URPS ------------------------------------------------------

# Shown to users: in French, with the article and its paragraph; the URLs of the texts read
# are in the module docstring.
_SOURCE_R4031_6 = "Code de la santé publique, art. R4031-6"
_SOURCE_R4031_27 = (
    "effectif apprécié sur les électeurs inscrits au 120e jour avant le scrutin (art. R4031-27)"
)

# (upper bound inclusive or None for "above", members) — CSP R. 4031-6 I, as read.
_PHYSICIAN_SCALE: tuple[tuple[int | None, int], ...] = (
    (500, 10),
    (3_000, 20),
    (5_000, 30),
    (10_000, 40),
    (None, 60),
)
# CSP R. 4031-6 II 1° to 6°: 1° to 5° as read; 6° (18 members from 3 501) as stated by
# issue 11 (« continues with 18 seats from 3,501 voters »), its upper bound not read.
_ELECTED_SCALE: tuple[tuple[int | None, int, str], ...] = (
    (200, 3, "1°"),
    (500, 6, "2°"),
    (1_500, 9, "3°"),
    (2_500, 12, "4°"),
    (3_500, 15, "5°"),
    (None, 18, "6°"),
)

PROFESSION_CODES = (
    "medecins",
    "masseurs-kinesitherapeutes",
    "infirmiers",
    "chirurgiens-dentistes",
    "pharmaciens",
    "pedicures-podologues",
    "orthophonistes",
    "orthoptistes",
    "biologistes",
    "sages-femmes",
)
# [L4031-2]: six professions elect the members of their union ...
ELECTED_PROFESSIONS = (
    "medecins",
    "chirurgiens-dentistes",
    "pharmaciens",
    "infirmiers",
    "masseurs-kinesitherapeutes",
    "orthophonistes",
)
# ... the four others have them designated by their representative unions (syndicats),
# according to their audience.
DESIGNATED_PROFESSIONS = (
    "sages-femmes",
    "pedicures-podologues",
    "orthoptistes",
    "biologistes",
)
DESIGNATION_SOURCE = (
    "Code de la santé publique, art. L4031-2 : représentation par voie d'élection ou de "
    "désignation ; membres désignés par les organisations syndicales représentatives selon "
    "leur audience"
)
ELECTION_SOURCE = (
    "Code de la santé publique, art. L4031-2 : membres élus pour cinq ans au scrutin de "
    "liste proportionnel à la plus forte moyenne"
)


def is_designated(profession_code: str) -> bool:
    """Whether the members of this profession's URPS are designated rather than elected.

    Examples
    --------
    >>> is_designated("sages-femmes"), is_designated("infirmiers")
    (True, False)
    """
    _check_profession(profession_code)
    return profession_code in DESIGNATED_PROFESSIONS


def _check_profession(profession_code: str) -> None:
    if profession_code not in PROFESSION_CODES:
        raise ValueError(
            f"Profession inconnue : « {profession_code} » "
            f"(codes possibles : {', '.join(PROFESSION_CODES)})."
        )


_BREAKER_WORDS = {
    "votes": "le plus grand nombre de suffrages",
    "age": "la moyenne d'âge la plus élevée",
    "lot": "tirage au sort",
}


def describe_tie_breakers(tie_breakers: Sequence[str]) -> str:
    """The tie-break order in words, for the results page and the minutes.

    Examples
    --------
    >>> describe_tie_breakers(TIE_BREAKERS)
    "en cas d'égalité : le plus grand nombre de suffrages, puis la moyenne d'âge la plus élevée, puis tirage au sort"
    >>> describe_tie_breakers(["lot"])
    "en cas d'égalité : tirage au sort"
    """  # noqa: E501
    unknown = [b for b in tie_breakers if b not in _BREAKER_WORDS]
    if unknown or not tie_breakers:
        raise ValueError(
            f"Règle de départage inconnue ou absente : {', '.join(unknown) or 'aucune'} "
            f"(règles possibles : {', '.join(TIE_BREAKERS)})."
        )
    return "en cas d'égalité : " + ", puis ".join(_BREAKER_WORDS[b] for b in tie_breakers)


def format_decimal_fr(value: float | Fraction | str, places: int = 2) -> str:
    """A number the French way: non-breaking space between thousands, decimal comma,
    at most ``places`` decimals and no trailing zero.

    Examples
    --------
    >>> format_decimal_fr(1234.5)
    '1\u202f234,5'
    >>> format_decimal_fr("100000.00"), format_decimal_fr(Fraction(100, 3))
    ('100\u202f000', '33,33')
    """
    number = float(Fraction(value)) if isinstance(value, str) else float(value)
    text = f"{number:,.{places}f}"  # 1,234.50
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    # U+202F (narrow no-break space) is the French thousands separator.
    return text.replace(",", "\u202f").replace(".", ",")


@dataclass(frozen=True)
class SeatRule:
    """Number of members of an URPS assembly, with its legal source.

    ``seats`` is ``None`` and ``confirmed`` is ``False`` when the rule could not be read
    or does not apply (designated unions): the number must then be entered by hand, with
    a reason.
    """

    seats: int | None
    source: str
    confirmed: bool
    note: str


def seats_for_union(profession_code: str, registered_voters: int) -> SeatRule:
    """Number of members of the URPS assembly of a profession (CSP art. R. 4031-6).

    Parameters
    ----------
    profession_code : str
        One of the project's profession codes (``"medecins"``, ``"infirmiers"``, ...).
    registered_voters : int
        Registered voters of the region for that profession; under CSP art. R. 4031-27 the
        number registered on the 120th day before the ballot determines the number of
        members.

    Returns
    -------
    SeatRule
        The source is in French (article and paragraph). Designated professions get
        ``seats=None``: their members are designated, not elected.

    Raises
    ------
    ValueError
        Unknown profession code, or a negative / non-integer number of voters.

    Examples
    --------
    >>> seats_for_union("medecins", 12000).seats
    60
    >>> seats_for_union("infirmiers", 2000).seats
    12
    >>> rule = seats_for_union("infirmiers", 4800)
    >>> rule.seats, rule.source
    (18, 'Code de la santé publique, art. R4031-6, II, 6°')
    >>> seats_for_union("sages-femmes", 800).seats is None
    True
    """
    _check_profession(profession_code)
    if isinstance(registered_voters, bool) or not isinstance(registered_voters, int):
        raise ValueError(
            f"Le nombre d'électeurs inscrits doit être un entier (reçu : {registered_voters!r})."
        )
    if registered_voters < 0:
        raise ValueError(
            f"Le nombre d'électeurs inscrits ne peut pas être négatif ({registered_voters})."
        )

    if profession_code == "medecins":
        for upper, members in _PHYSICIAN_SCALE:
            if upper is None or registered_voters <= upper:
                return SeatRule(
                    seats=members,
                    source=_SOURCE_R4031_6 + ", I",
                    confirmed=True,
                    note=(
                        f"{members} membres pour {registered_voters} médecins inscrits "
                        f"({_SOURCE_R4031_27}). Répartition entre les collèges "
                        "(généralistes / autres spécialistes) fixée par arrêté (art. R4031-14) : "
                        "moitié-moitié selon Le Quotidien du médecin du 01/12/2020, non confirmé "
                        "sur le texte de l'arrêté."
                    ),
                )

    if profession_code in ELECTED_PROFESSIONS:
        for upper, members, paragraph in _ELECTED_SCALE:
            if upper is None or registered_voters <= upper:
                return SeatRule(
                    seats=members,
                    source=f"{_SOURCE_R4031_6}, II, {paragraph}",
                    confirmed=True,
                    note=(
                        f"{members} membres pour {registered_voters} électeurs inscrits "
                        f"({_SOURCE_R4031_27})."
                    ),
                )

    return SeatRule(
        seats=None,
        source=DESIGNATION_SOURCE,
        confirmed=False,
        note=(
            "Les membres de cette union ne sont pas élus : ils sont désignés par les "
            "organisations syndicales représentatives, selon leur audience."
        ),
    )
