"""Current mandates: start <= today <= end and not ended (issue 11)."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.elections import selectors, services
from interurps.elections.models import Mandate
from interurps.elections.results_csv import parse_results
from interurps.organizations.models import Union
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

RESULTS = b"""liste;voix;rang;candidat
Liste A;300;1;Anne Aubert
Liste A;300;2;Alain Arnaud
Liste A;300;3;Agathe Andre
Liste B;120;1;Bruno Blanc
"""


def elect(held_on):
    nurses = Union.objects.get(region_id="52", profession_id="infirmiers")
    ballot = services.election_create(union=nurses, held_on=held_on).ballots.get()
    services.ballot_update(ballot=ballot, data={"seats_override": 3, "seats_override_reason": "T"})
    services.ballot_results_replace(ballot=ballot, parsed=parse_results(RESULTS))
    services.ballot_allocate(ballot=ballot)
    return nurses, ballot


def names(mandates):
    return sorted(m.full_name for m in mandates)


def test_current_means_started_not_past_its_end_and_not_ended():
    nurses, ballot = elect(date(2021, 4, 7))  # mandates 7 April 2021 → 7 April 2026
    services.mandate_vacate(
        mandate=ballot.mandates.get(candidate__full_name="Bruno Blanc"),
        on=date(2023, 1, 1),
        reason="Démission",
    )
    assert names(selectors.current_mandates(nurses, on=date(2021, 4, 6))) == []
    # 3 seats: A 300, A 150, B 120.
    assert names(selectors.current_mandates(nurses, on=date(2021, 4, 7))) == [
        "Alain Arnaud",
        "Anne Aubert",
        "Bruno Blanc",
    ]
    assert names(selectors.current_mandates(nurses, on=date(2026, 4, 7))) == [
        "Alain Arnaud",
        "Anne Aubert",
    ]  # Bruno Blanc's seat freed, list B exhausted
    assert names(selectors.current_mandates(nurses, on=date(2026, 4, 8))) == []
    past = selectors.past_mandates(nurses, on=date(2026, 4, 8))
    assert names(past) == ["Alain Arnaud", "Anne Aubert", "Bruno Blanc"]
    assert names(selectors.past_mandates(nurses, on=date(2024, 1, 1))) == ["Bruno Blanc"]
    expired = past.get(candidate__full_name="Anne Aubert")
    assert expired.status == Mandate.Status.ACTIVE  # nobody ended it: its term did
    assert expired.state_label(date(2026, 4, 8)) == "Mandat échu"
    assert expired.state_label(date(2026, 4, 7)) == "En cours"


def test_expired_mandates_are_not_listed_as_current_on_the_pages(client):
    today = timezone.localdate()
    nurses, old = elect(today - timedelta(days=6 * 365))  # ended about a year ago
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    page = html.unescape(client.get(reverse("elections:union", args=[nurses.pk])).text)
    current_section, past_section = page.split("<h2>Mandats passés</h2>")
    assert "Aucun·e membre en cours de mandat." in current_section
    assert "Anne Aubert" not in current_section
    assert "Anne Aubert" in past_section and "Mandat échu" in past_section
    directory = html.unescape(client.get(reverse("elections:directory", args=["52"])).text)
    assert "Anne Aubert" not in directory
    detail = html.unescape(client.get(old.election.get_absolute_url()).text)
    assert "Anne Aubert (Liste A, n° 1) — Mandat échu" in detail
    assert "libérer le siège" not in detail  # nothing to free once the term is over

    elect(today - timedelta(days=30))
    page = html.unescape(client.get(reverse("elections:union", args=[nurses.pk])).text)
    current_section, past_section = page.split("<h2>Mandats passés</h2>")
    assert current_section.count("<td>Anne Aubert</td>") == 1  # the new mandate only
    assert "(3)</h2>" in current_section
    directory = html.unescape(client.get(reverse("elections:directory", args=["52"])).text)
    assert directory.count("Anne Aubert — Liste A") == 1


def test_an_office_needs_a_mandate_in_force_on_its_date():
    _nurses, ballot = elect(date(2021, 4, 7))
    mandate = ballot.mandates.get(candidate__full_name="Anne Aubert")
    with pytest.raises(ValidationError, match="en cours de mandat à cette date"):
        services.office_assign(mandate=mandate, kind="president", started_on=date(2026, 5, 1))
    assert services.office_assign(mandate=mandate, kind="president", started_on=date(2021, 5, 1))


def test_a_seat_cannot_be_freed_after_the_mandate_ended():
    _nurses, ballot = elect(date(2021, 4, 7))
    mandate = ballot.mandates.get(candidate__full_name="Anne Aubert")
    with pytest.raises(ValidationError, match="suit la fin du mandat"):
        services.mandate_vacate(mandate=mandate, on=date(2026, 5, 1), reason="Démission")
