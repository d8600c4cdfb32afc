"""A fictitious demo election: the nurses' union of the demo region, April 2021.

Lists, votes and candidates are invented (clearly named as such); the rules applied
(highest average, five-year mandate, next candidate on the list) are the real ones.
"""

from datetime import date

from django.db import transaction

from interurps.elections import services
from interurps.elections.models import Election
from interurps.elections.results_csv import parse_results

DEMO_HELD_ON = date(2021, 4, 7)
DEMO_SEATS = 15
DEMO_LISTS = [
    # (list, votes, number of candidates)
    ("Liste démo « Soins de proximité »", 3120, 15),
    ("Liste démo « Infirmiers libéraux unis »", 2410, 15),
    ("Liste démo « Exercice coordonné »", 1480, 12),
    ("Liste démo « Cabinets ruraux »", 390, 6),
]
FIRST_NAMES = ["Claire", "Hugo", "Inès", "Marc", "Sarah", "Théo", "Julie", "Nicolas", "Emma"]


def _results_csv() -> bytes:
    lines = ["liste;syndicat;voix;rang;candidat;date_naissance"]
    for list_index, (name, votes, count) in enumerate(DEMO_LISTS):
        for position in range(1, count + 1):
            first = FIRST_NAMES[(list_index + position) % len(FIRST_NAMES)]
            birth = date(1960 + (position * 3 + list_index) % 30, 1 + position % 12, 10)
            lines.append(
                f"{name};;{votes};{position};{first} Démo{list_index + 1}-{position};"
                f"{birth:%d/%m/%Y}"
            )
    return "\n".join(lines).encode()


@transaction.atomic
def elections_demo_load(*, union) -> Election:
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
    services.ballot_results_replace(ballot=ballot, parsed=parse_results(_results_csv()))
    services.ballot_allocate(ballot=ballot)
    first = ballot.mandates.order_by("-candidate__candidate_list__votes", "candidate__position")
    services.office_assign(mandate=first[0], kind="president", started_on=DEMO_HELD_ON)
    services.office_assign(mandate=first[1], kind="tresorier", started_on=DEMO_HELD_ON)
    return election
