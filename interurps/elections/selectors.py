from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from interurps.analytics import seats as seat_rules
from interurps.elections.models import Ballot, Designation, Election, Mandate

MANDATE_RELATED = (
    "candidate__candidate_list",
    "ballot__college",
    "ballot__election",
    "designated_member__organisation__designation",
)


def mean_age_on(birth_dates: list[date | None], on: date) -> float | None:
    """Mean age in years of the candidates whose birth date is known, or None."""
    known = [d for d in birth_dates if d is not None]
    if not known:
        return None
    return sum((on - d).days / 365.25 for d in known) / len(known)


def ballot_seats(ballot: Ballot) -> tuple[int | None, str]:
    """Number of seats and where it comes from (user override or the CSP rule)."""
    if ballot.seats_override:
        return ballot.seats_override, f"Saisi : {ballot.seats_override_reason}"
    if ballot.college_id is not None:
        # R4031-14: the assembly's seats are split between the physicians' colleges by a
        # ministerial arrêté, which the rules module does not hold.
        return None, (
            "Sièges du collège fixés par arrêté (code de la santé publique, R4031-14) : "
            "saisissez-les avec la référence de l'arrêté."
        )
    if ballot.registered_voters is None:
        return None, "Nombre d'électeurs inscrits non renseigné."
    rule = seat_rules.seats_for_union(ballot.election.union.profession_id, ballot.registered_voters)
    source = rule.source + ("" if rule.confirmed else f" (non confirmé : {rule.note})")
    return rule.seats, source


def elections_of_union(union) -> QuerySet[Election]:
    return union.elections.prefetch_related("ballots__college")


def current_filter(on: date) -> Q:
    """Mandates in office on `on`: started, not past their term, not ended by then (a seat
    freed on a day is held by the successor from that day)."""
    return Q(started_on__lte=on, ends_on__gte=on) & (
        Q(ended_on__isnull=True, status=Mandate.Status.ACTIVE) | Q(ended_on__gt=on)
    )


def past_filter(on: date) -> Q:
    """Mandates over by `on`: ended early, or past their term."""
    return (
        Q(ended_on__lte=on)
        | Q(ends_on__lt=on)
        | (Q(ended_on__isnull=True) & ~Q(status=Mandate.Status.ACTIVE))
    )


def current_mandates(union, on: date | None = None) -> QuerySet[Mandate]:
    """The union's members in office on `on` (today by default); expired mandates are not
    current even when nobody ended them."""
    on = on or timezone.localdate()
    return (
        Mandate.objects.filter(current_filter(on), union=union)
        .select_related(*MANDATE_RELATED)
        .prefetch_related("offices")
        .order_by(
            "ballot__college__display_order",
            "-candidate__candidate_list__votes",
            "-designated_member__organisation__audience_share",
            "candidate__candidate_list__name",
            "designated_member__organisation__name",
            "candidate__position",
            "designated_member__position",
        )
    )


def past_mandates(union, on: date | None = None) -> QuerySet[Mandate]:
    """Mandates that ended (early or at their term) before `on`, most recent end first."""
    on = on or timezone.localdate()
    return (
        Mandate.objects.filter(union=union)
        .filter(past_filter(on))
        .select_related(*MANDATE_RELATED, "replaced_by__candidate")
        .annotate(finished_on=Coalesce("ended_on", "ends_on"))
        .order_by(
            "-finished_on",
            "candidate__candidate_list__name",
            "designated_member__organisation__name",
            "candidate__position",
            "designated_member__position",
        )
    )


def designations_of_union(union) -> QuerySet[Designation]:
    return union.designations.prefetch_related("organisations")


def designation_organisations(designation: Designation):
    return designation.organisations.prefetch_related(
        "members__mandates__replaced_by__designated_member"
    )


def tie_breakers_in_words(ballot: Ballot) -> str:
    text = seat_rules.describe_tie_breakers(ballot.tie_breakers.split(","))
    return text[0].upper() + text[1:] + "."


@dataclass
class Vacancies:
    seats: int
    filled: int

    @property
    def vacant(self) -> int:
        return self.seats - self.filled

    @property
    def partial_election_needed(self) -> bool:
        """Half the assembly's seats or more vacant with no possible replacement: all these
        seats are renewed by election (code de la santé publique, R4031-15)."""
        return self.seats > 0 and self.vacant * 2 >= self.seats


def ballot_vacancies(ballot: Ballot) -> Vacancies | None:
    if not ballot.result:
        return None
    filled = ballot.mandates.filter(status=Mandate.Status.ACTIVE).count()
    return Vacancies(seats=ballot.result["seats_total"], filled=filled)


def election_vacancies(election: Election) -> Vacancies | None:
    """Seats of the whole assembly (every college together), as R4031-15 counts them."""
    counts = [ballot_vacancies(b) for b in election.ballots.all()]
    counts = [c for c in counts if c is not None]
    if not counts:
        return None
    return Vacancies(seats=sum(c.seats for c in counts), filled=sum(c.filled for c in counts))


def calculation_table(ballot: Ballot) -> list[dict]:
    """Per list: votes, the averages per divisor, which of them won a seat.

    Averages fall as the divisor grows, so a list's winning averages are its first ones.
    """
    if not ballot.result:
        return []
    won_per_list: dict[str, int] = {}
    for _, name, _ in ballot.result["order"]:
        won_per_list[name] = won_per_list.get(name, 0) + 1
    rows = []
    for candidate_list in ballot.lists.all():
        averages = ballot.result["averages"].get(candidate_list.name, [])
        won = won_per_list.get(candidate_list.name, 0)
        rows.append(
            {
                "list": candidate_list,
                "cells": [
                    (seat_rules.format_decimal_fr(value), index < won)
                    for index, value in enumerate(averages)
                ],
                "seats": ballot.result["seats"].get(candidate_list.name, 0),
            }
        )
    return rows
