"""Writes for elections: results, seat allocation, mandates, vacancies and offices."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.analytics import seats as seat_rules
from interurps.elections.models import (
    MANDATE_YEARS,
    Ballot,
    Candidate,
    CandidateList,
    Election,
    Mandate,
    Office,
)
from interurps.elections.results_csv import ParsedResults
from interurps.elections.selectors import ballot_seats, mean_age_on


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def election_create(*, union, held_on: date, note: str = "") -> Election:
    """An election and its ballots: one per college for physicians, else a single one."""
    election = Election(union=union, held_on=held_on, note=note)
    election.full_clean()
    election.save()
    colleges = list(union.profession.colleges.all())
    for college in colleges or [None]:
        Ballot.objects.create(election=election, college=college)
    return election


@transaction.atomic
def ballot_update(*, ballot: Ballot, data: dict) -> Ballot:
    for name in ("registered_voters", "seats_override", "seats_override_reason", "tie_breakers"):
        if name in data:
            setattr(ballot, name, data[name])
    if ballot.seats_override and not (ballot.seats_override_reason or "").strip():
        raise ValidationError(
            {"seats_override_reason": "Indiquez pourquoi le nombre de sièges est saisi."}
        )
    breakers = [b.strip() for b in ballot.tie_breakers.split(",") if b.strip()]
    unknown = [b for b in breakers if b not in seat_rules.TIE_BREAKERS]
    if not breakers or unknown:
        raise ValidationError(
            {
                "tie_breakers": "Critères de départage possibles : "
                + ", ".join(seat_rules.TIE_BREAKERS)
                + (f" (inconnu : {', '.join(unknown)})" if unknown else "")
            }
        )
    ballot.tie_breakers = ",".join(breakers)
    ballot.full_clean()
    ballot.save()
    return ballot


@transaction.atomic
def ballot_results_replace(*, ballot: Ballot, parsed: ParsedResults) -> Ballot:
    """Replace the lists and candidates of a ballot with imported results (all or nothing)."""
    if not parsed.is_valid:
        raise ValidationError(parsed.errors or ["Aucun résultat à importer."])
    if (
        ballot.mandates.exclude(status=Mandate.Status.ACTIVE).exists()
        or ballot.mandates.filter(replaces__isnull=False).exists()
    ):
        raise ValidationError(
            "Des mandats de ce scrutin ont déjà changé (sièges libérés, remplacements) : "
            "les résultats ne peuvent plus être remplacés."
        )
    ballot.mandates.all().delete()
    ballot.lists.all().delete()
    for parsed_list in parsed.lists:
        candidate_list = CandidateList.objects.create(
            ballot=ballot,
            name=parsed_list.name,
            syndicate=parsed_list.syndicate,
            votes=parsed_list.votes,
        )
        Candidate.objects.bulk_create(
            Candidate(
                candidate_list=candidate_list,
                position=c.position,
                full_name=c.full_name,
                birth_date=c.birth_date,
            )
            for c in parsed_list.candidates
        )
    ballot.result = None
    ballot.allocated_at = None
    ballot.save(update_fields=["result", "allocated_at"])
    return ballot


def _json_fraction(value) -> str:
    return f"{float(value):.2f}"


@transaction.atomic
def ballot_allocate(*, ballot: Ballot) -> Ballot:
    """Allocate the seats by highest average and proclaim the elected, in list order."""
    seats, source = ballot_seats(ballot)
    if seats is None:
        raise ValidationError(
            "Nombre de sièges inconnu : saisissez-le (avec son motif) ou le nombre d'électeurs "
            f"inscrits. {source}"
        )
    lists = list(ballot.lists.prefetch_related("candidates"))
    if not lists:
        raise ValidationError("Aucune liste : importez d'abord les résultats du scrutin.")
    if ballot.mandates.exclude(status=Mandate.Status.ACTIVE).exists():
        raise ValidationError(
            "Des sièges ont déjà été libérés ou remplacés : la répartition ne peut plus être "
            "recalculée."
        )
    held_on = ballot.election.held_on
    mean_ages = {}
    for candidate_list in lists:
        age = mean_age_on([c.birth_date for c in candidate_list.candidates.all()], held_on)
        if age is not None:
            mean_ages[candidate_list.name] = age
    try:
        allocation = seat_rules.allocate_seats(
            {cl.name: cl.votes for cl in lists},
            seats,
            tie_breakers=ballot.tie_breakers.split(","),
            mean_ages=mean_ages,
            seed=ballot.lot_seed,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    lot_seeds = [t.seed for t in allocation.ties if t.resolved_by == "lot"]
    if lot_seeds and ballot.lot_seed is None:
        ballot.lot_seed = lot_seeds[0]
    ballot.result = {
        "seats_total": seats,
        "seats_source": source,
        "seats": allocation.seats,
        "ties": [
            {
                "seat_number": t.seat_number,
                "lists": list(t.lists),
                "resolved_by": t.resolved_by,
                "winner": t.winner,
                "seed": t.seed,
                "explanation": t.explanation,
            }
            for t in allocation.ties
        ],
        "order": [[n, name, _json_fraction(avg)] for n, name, avg in allocation.order],
        "averages": {
            name: [_json_fraction(a) for a in values]
            for name, values in allocation.averages.items()
        },
    }
    ballot.allocated_at = timezone.now()
    ballot.save(update_fields=["result", "allocated_at", "lot_seed"])
    ballot.mandates.all().delete()
    ends_on = _years_later(held_on, MANDATE_YEARS)
    for candidate_list in lists:
        won = allocation.seats.get(candidate_list.name, 0)
        candidate_list.seats_won = won
        candidate_list.save(update_fields=["seats_won"])
        # A list with fewer candidates than seats leaves the rest vacant.
        for candidate in list(candidate_list.candidates.all())[:won]:
            Mandate.objects.create(
                union=ballot.election.union,
                ballot=ballot,
                candidate=candidate,
                started_on=held_on,
                ends_on=ends_on,
            )
    return ballot


@transaction.atomic
def mandate_vacate(*, mandate: Mandate, on: date, reason: str) -> Mandate | None:
    """Free a seat; the next candidate of the same list not yet elected takes it for the
    rest of the mandate, and when the list is exhausted the seat stays vacant (code de la
    santé publique, R4031-15).

    Returns the replacement mandate, or None when the list is exhausted.
    """
    if mandate.status != Mandate.Status.ACTIVE:
        raise ValidationError("Ce mandat n'est plus en cours.")
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif (démission, décès, cessation…)."})
    if on < mandate.started_on:
        raise ValidationError({"on": "La date précède le début du mandat."})
    mandate.status = Mandate.Status.VACATED
    mandate.ended_on = on
    mandate.end_reason = reason.strip()
    mandate.save()
    already = Mandate.objects.filter(ballot=mandate.ballot).values_list("candidate_id", flat=True)
    successor = (
        mandate.candidate.candidate_list.candidates.exclude(pk__in=already)
        .order_by("position")
        .first()
    )
    if successor is None:
        return None
    return Mandate.objects.create(
        union=mandate.union,
        ballot=mandate.ballot,
        candidate=successor,
        started_on=on,
        ends_on=mandate.ends_on,
        replaces=mandate,
    )


@transaction.atomic
def office_assign(*, mandate: Mandate, kind: str, started_on: date) -> Office:
    if mandate.status != Mandate.Status.ACTIVE:
        raise ValidationError("Seul·e un·e élu·e en cours de mandat peut occuper une fonction.")
    Office.objects.filter(mandate__union=mandate.union, kind=kind, ended_on__isnull=True).update(
        ended_on=started_on
    )
    office = Office(mandate=mandate, kind=kind, started_on=started_on)
    office.full_clean()
    office.save()
    return office
