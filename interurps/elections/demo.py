"""Fictitious demo elections and designation for the demo region.

* The nurses' union elected in April 2021 (history: those mandates ended in April 2026) and
  again in spring 2026 (current on the demo's dates), with 4,800 registered voters, hence
  18 seats from the code de la santé publique's scale (R4031-6, II, 6°).
* The midwives' union, whose members are designated by the representative unions
  according to their audience (L4031-2), in May 2026.

Lists, organisations, votes, audiences and people are invented and named as such
(« Liste démo … », « Organisation démo … »); the rules applied (highest average, five-year
mandates, next candidate on the list, designation) are the real ones.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from interurps.elections import services
from interurps.elections.models import Designation, Election
from interurps.elections.results_csv import parse_results
from interurps.organizations.models import Union

DEMO_HELD_ON = date(2021, 4, 7)
DEMO_SEATS = 15
DEMO_LISTS = [
    # (list, votes, number of candidates)
    ("Liste démo « Soins de proximité »", 3120, 15),
    ("Liste démo « Infirmiers libéraux unis »", 2410, 15),
    ("Liste démo « Exercice coordonné »", 1480, 12),
    ("Liste démo « Cabinets ruraux »", 390, 6),
]

DEMO_2026_HELD_ON = date(2026, 4, 8)
DEMO_2026_VOTERS = 4_800  # R4031-6, II, 6°: 18 members from 3,501 registered voters
DEMO_2026_LISTS = [
    ("Liste démo « Infirmiers de territoire »", 1_562, 22),
    ("Liste démo « Soins de proximité »", 1_188, 22),
    ("Liste démo « Exercice coordonné »", 604, 12),
    ("Liste démo « Cabinets ruraux »", 231, 6),
]

DEMO_DESIGNATED_ON = date(2026, 5, 4)
DEMO_ORGANISATIONS = [
    # (organisation, audience in %, members designated)
    ("Organisation démo « Sages-femmes libérales »", Decimal("58.4"), 4),
    ("Organisation démo « Périnatalité de proximité »", Decimal("41.6"), 2),
]

FIRST_NAMES = ["Claire", "Hugo", "Inès", "Marc", "Sarah", "Théo", "Julie", "Nicolas", "Emma"]


def _results_csv(lists, *, year_offset: int = 0, tag: str = "") -> bytes:
    lines = ["liste;syndicat;voix;rang;candidat;date_naissance"]
    for list_index, (name, votes, count) in enumerate(lists):
        for position in range(1, count + 1):
            first = FIRST_NAMES[(list_index + position) % len(FIRST_NAMES)]
            birth = date(
                1960 + year_offset + (position * 3 + list_index) % 30, 1 + position % 12, 10
            )
            lines.append(
                f"{name};;{votes};{position};{first} Démo{tag}{list_index + 1}-{position};"
                f"{birth:%d/%m/%Y}"
            )
    return "\n".join(lines).encode()


def _election_2021(union) -> Election:
    election = Election.objects.filter(union=union, held_on=DEMO_HELD_ON).first()
    if election is not None:
        return election
    election = services.election_create(union=union, held_on=DEMO_HELD_ON)
    ballot = election.ballots.get()
    services.ballot_update(
        ballot=ballot,
        data={
            "seats_override": DEMO_SEATS,
            "seats_override_reason": "Démonstration : nombre de sièges fixé pour l'exemple.",
        },
    )
    services.ballot_results_replace(ballot=ballot, parsed=parse_results(_results_csv(DEMO_LISTS)))
    services.ballot_allocate(ballot=ballot)
    first = ballot.mandates.order_by("-candidate__candidate_list__votes", "candidate__position")
    services.office_assign(mandate=first[0], kind="president", started_on=DEMO_HELD_ON)
    services.office_assign(mandate=first[1], kind="tresorier", started_on=DEMO_HELD_ON)
    return election


def _election_2026(union) -> Election:
    election = Election.objects.filter(union=union, held_on=DEMO_2026_HELD_ON).first()
    if election is not None:
        return election
    election = services.election_create(
        union=union,
        held_on=DEMO_2026_HELD_ON,
        note="Élection fictive de démonstration (listes et candidat·es inventés).",
    )
    ballot = election.ballots.get()
    # The number of seats comes from the scale: 4,800 registered voters -> 18 members.
    services.ballot_update(ballot=ballot, data={"registered_voters": DEMO_2026_VOTERS})
    services.ballot_results_replace(
        ballot=ballot,
        parsed=parse_results(_results_csv(DEMO_2026_LISTS, year_offset=4, tag="26-")),
    )
    services.ballot_allocate(ballot=ballot)
    first = ballot.mandates.order_by("-candidate__candidate_list__votes", "candidate__position")
    started_on = date(2026, 5, 12)  # first meeting of the new assembly (illustrative)
    services.office_assign(mandate=first[0], kind="president", started_on=started_on)
    services.office_assign(mandate=first[1], kind="vice_president", started_on=started_on)
    services.office_assign(mandate=first[2], kind="tresorier", started_on=started_on)
    services.office_assign(mandate=first[3], kind="secretaire", started_on=started_on)
    return election


def _designation_2026(union) -> Designation:
    designation = Designation.objects.filter(union=union, designated_on=DEMO_DESIGNATED_ON).first()
    if designation is not None:
        return designation
    designation = services.designation_create(
        union=union,
        designated_on=DEMO_DESIGNATED_ON,
        note="Désignation fictive de démonstration (organisations et personnes inventées).",
    )
    for index, (name, audience, count) in enumerate(DEMO_ORGANISATIONS, start=1):
        organisation = services.designation_organisation_add(
            designation=designation, name=name, audience_share=audience
        )
        for position in range(1, count + 1):
            first = FIRST_NAMES[(index * 2 + position) % len(FIRST_NAMES)]
            services.designation_member_add(
                organisation=organisation, full_name=f"{first} Démo-SF{index}-{position}"
            )
    return designation


@transaction.atomic
def elections_demo_load(*, union) -> Election:
    """Load the demo elections of `union` (the nurses' union of the demo region) and the
    demo designation of the same region's midwives' union. Idempotent.

    Returns the 2026 election (the current assembly)."""
    _election_2021(union)
    election = _election_2026(union)
    midwives = Union.objects.get(region_id=union.region_id, profession_id="sages-femmes")
    _designation_2026(midwives)
    return election
