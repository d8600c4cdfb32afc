"""Writes for elections and designations: results, seat allocation, designated members,
mandates, vacancies and offices."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.analytics import seats as seat_rules
from interurps.core.dates import check_in_range
from interurps.elections.models import (
    MANDATE_YEARS,
    Ballot,
    Candidate,
    CandidateList,
    DesignatedMember,
    DesignatingOrganisation,
    Designation,
    Election,
    Mandate,
    Office,
    years_later,
)
from interurps.elections.results_csv import ParsedResults
from interurps.elections.selectors import ballot_seats, mean_age_on

_years_later = years_later


def _refuse_designated(union) -> None:
    if seat_rules.is_designated(union.profession_id):
        raise ValidationError(
            f"Les membres de l'{union.profession.union_label} ne sont pas élus : ils sont "
            "désignés par les organisations syndicales représentatives de la profession, "
            "selon leur audience (code de la santé publique, art. L4031-2). Enregistrez une "
            "désignation, pas une élection."
        )


def _refuse_elected(union) -> None:
    if not seat_rules.is_designated(union.profession_id):
        raise ValidationError(
            f"Les membres de l'{union.profession.union_label} sont élus au scrutin de liste "
            "(code de la santé publique, art. L4031-2) : enregistrez une élection, pas une "
            "désignation."
        )


@transaction.atomic
def election_create(*, union, held_on: date, note: str = "") -> Election:
    """An election and its ballots: one per college for physicians, else a single one.

    Only the six elected professions have elections; the four others are designated
    (code de la santé publique, L4031-2)."""
    _refuse_designated(union)
    check_in_range(held_on, where="Date du scrutin")
    election = Election(union=union, held_on=held_on, note=note)
    election.full_clean()
    election.save()
    colleges = list(union.profession.colleges.all())
    for college in colleges or [None]:
        Ballot.objects.create(election=election, college=college)
    return election


@transaction.atomic
def designation_create(*, union, designated_on: date, note: str = "") -> Designation:
    """Record the designation of a union's members by the representative unions, for the
    four professions that do not elect them (code de la santé publique, L4031-2)."""
    _refuse_elected(union)
    check_in_range(designated_on, where="Date de la désignation")
    if Designation.objects.filter(union=union, designated_on=designated_on).exists():
        raise ValidationError(
            {"designated_on": "Une désignation est déjà enregistrée à cette date pour cette union."}
        )
    designation = Designation(union=union, designated_on=designated_on, note=note)
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def designation_organisation_add(
    *, designation: Designation, name: str, audience_share: Decimal
) -> DesignatingOrganisation:
    """Add a designating organisation with its audience; the audiences of one designation
    cannot add up to more than 100 %."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Indiquez le nom de l'organisation syndicale."})
    if designation.organisations.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"« {name} » figure déjà dans cette désignation."})
    if audience_share is None or not Decimal(0) <= audience_share <= Decimal(100):
        raise ValidationError({"audience_share": "L'audience est un pourcentage entre 0 et 100."})
    total = sum((o.audience_share for o in designation.organisations.all()), Decimal(0))
    if total + audience_share > 100:
        raise ValidationError(
            {
                "audience_share": (
                    f"Les audiences dépasseraient 100\u00a0% : "
                    f"{seat_rules.format_decimal_fr(total)}\u00a0% déjà enregistrés, "
                    f"{seat_rules.format_decimal_fr(100 - total)}\u00a0% au plus pour cette "
                    "organisation."
                )
            }
        )
    organisation = DesignatingOrganisation(
        designation=designation, name=name, audience_share=audience_share
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def designation_member_add(
    *,
    organisation: DesignatingOrganisation,
    full_name: str,
    birth_date: date | None = None,
    started_on: date | None = None,
    replaces: Mandate | None = None,
) -> Mandate:
    """A member designated by an organisation takes a seat, from the designation's date
    (or `started_on`, for a successor) to the end of the five-years assembly: the same kind
    of mandate as an elected member's. `replaces` is the freed seat the member takes."""
    designation = organisation.designation
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": "Indiquez le nom du ou de la membre désigné·e."})
    if birth_date is not None:
        check_in_range(birth_date, where="Date de naissance")
    ends_on = designation.term_ends_on
    started_on = started_on or designation.designated_on
    check_in_range(started_on, where="Début du mandat")
    if not designation.designated_on <= started_on < ends_on:
        raise ValidationError(
            {
                "started_on": (
                    f"Le mandat commence entre le {designation.designated_on:%d/%m/%Y} et le "
                    f"{ends_on:%d/%m/%Y} (durée de la mandature)."
                )
            }
        )
    if replaces is not None and (
        replaces.designated_member is None
        or replaces.designated_member.organisation_id != organisation.pk
        or replaces.status != Mandate.Status.VACATED
        or hasattr(replaces, "replaced_by")
    ):
        raise ValidationError(
            {
                "replaces": "Seul un siège libéré de la même organisation, sans remplaçant, peut "
                "être repris."
            }
        )
    last = organisation.members.order_by("-position").values_list("position", flat=True).first()
    member = DesignatedMember(
        organisation=organisation,
        position=(last or 0) + 1,
        full_name=full_name,
        birth_date=birth_date,
    )
    member.full_clean()
    member.save()
    mandate = Mandate(
        union=designation.union,
        designated_member=member,
        started_on=started_on,
        ends_on=ends_on,
        replaces=replaces,
    )
    mandate.full_clean()
    mandate.save()
    return mandate


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
    """Free a seat. For an elected member, the next candidate of the same list not yet
    elected takes it for the rest of the mandate, and when the list is exhausted the seat
    stays vacant (code de la santé publique, R4031-15). A designated member's organisation
    designates a successor (recorded as a new designated member).

    Returns the replacement mandate, or None when there is none (yet).
    """
    if mandate.status != Mandate.Status.ACTIVE or mandate.ended_on is not None:
        raise ValidationError("Ce mandat n'est plus en cours.")
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif (démission, décès, cessation…)."})
    check_in_range(on, where="Date")
    if on < mandate.started_on:
        raise ValidationError({"on": "La date précède le début du mandat."})
    if on > mandate.ends_on:
        raise ValidationError({"on": "La date suit la fin du mandat."})
    mandate.status = Mandate.Status.VACATED
    mandate.ended_on = on
    mandate.end_reason = reason.strip()
    mandate.save()
    if mandate.candidate_id is None:
        return None
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
    check_in_range(started_on, where="Depuis le")
    if not mandate.is_current(started_on):
        raise ValidationError(
            "Seul·e un·e membre en cours de mandat à cette date peut occuper une fonction."
        )
    Office.objects.filter(mandate__union=mandate.union, kind=kind, ended_on__isnull=True).update(
        ended_on=started_on
    )
    office = Office(mandate=mandate, kind=kind, started_on=started_on)
    office.full_clean()
    office.save()
    return office
