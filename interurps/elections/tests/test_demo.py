"""The demo region's elections: 2021 as history, spring 2026 current (issue 11)."""

from datetime import date

import pytest

from interurps.elections import selectors
from interurps.elections.demo import elections_demo_load
from interurps.elections.models import Designation, Election, Mandate
from interurps.organizations.models import Union

pytestmark = pytest.mark.django_db

DEMO_TODAY = date(2026, 11, 29)


def test_demo_has_a_2026_election_whose_mandates_are_current():
    nurses = Union.objects.get(region_id="52", profession_id="infirmiers")
    election = elections_demo_load(union=nurses)
    assert election.held_on == date(2026, 4, 8)
    assert list(nurses.elections.values_list("held_on", flat=True)) == [
        date(2026, 4, 8),
        date(2021, 4, 7),
    ]
    ballot = election.ballots.get()
    assert selectors.ballot_seats(ballot) == (18, "Code de la santé publique, art. R4031-6, II, 6°")
    assert all(
        name.startswith("Liste démo") for name in ballot.lists.values_list("name", flat=True)
    )

    current = list(selectors.current_mandates(nurses, on=DEMO_TODAY))
    assert len(current) == 18
    assert {m.ballot_id for m in current} == {ballot.pk}
    offices = {o.get_kind_display() for m in current for o in m.offices.all() if not o.ended_on}
    assert offices == {"Président·e", "Vice-président·e", "Trésorier·e", "Secrétaire"}
    # 2021 is history: its mandates ended on 7 April 2026.
    old = Mandate.objects.filter(ballot__election__held_on=date(2021, 4, 7))
    assert old.count() == 15
    assert set(selectors.past_mandates(nurses, on=DEMO_TODAY)) == set(old)

    midwives = Union.objects.get(region_id="52", profession_id="sages-femmes")
    designation = Designation.objects.get(union=midwives)
    assert designation.designated_on == date(2026, 5, 4)
    designated = list(selectors.current_mandates(midwives, on=DEMO_TODAY))
    assert len(designated) == 6
    assert {m.group_name for m in designated} == {
        "Organisation démo « Sages-femmes libérales »",
        "Organisation démo « Périnatalité de proximité »",
    }
    assert not Election.objects.filter(union=midwives).exists()

    # Idempotent.
    assert elections_demo_load(union=nurses) == election
    assert Mandate.objects.count() == 15 + 18 + 6
