"""Type an election's results in the grid, allocate the seats and read the result, in a
French browser (issue 11)."""

from datetime import date

import pytest

from interurps.accounts.models import Role
from interurps.elections import services
from interurps.organizations.models import Union
from tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_results_grid_then_seats_and_calculation_table(live_server, page):
    admin = user_with_role(Role.FEDERATION_ADMIN)
    nurses = Union.objects.get(region_id="52", profession_id="infirmiers")
    election = services.election_create(union=nurses, held_on=date(2026, 4, 8))
    ballot = election.ballots.get()
    # 300 registered voters: 6 seats (code de la santé publique, R4031-6, II, 2°).
    services.ballot_update(ballot=ballot, data={"registered_voters": 300})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(admin.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}{election.get_absolute_url()}")
    page.get_by_role("link", name="Saisir les résultats dans une grille").click()
    page.wait_for_selector("h1:has-text('Saisie des résultats')")

    # A first attempt with a typo: the row's error is shown in French, nothing is saved.
    page.get_by_label("Ligne 1 : Liste", exact=True).fill("Liste démo « Soins de proximité »")
    page.get_by_label("Ligne 1 : Syndicat").fill("Syndicat démo A")
    page.get_by_label("Ligne 1 : Voix").fill("2 46x")
    page.get_by_label("Ligne 1 : Candidat·es").fill(
        "Claire Démo ; 12/03/1961\nHugo Démo ; 04/07/1970\nInès Démo\nMarc Démo\nSarah Démo"
    )
    page.get_by_label("Ligne 2 : Liste", exact=True).fill("Liste démo « Cabinets ruraux »")
    page.get_by_label("Ligne 2 : Voix").fill("1000")
    page.get_by_label("Ligne 2 : Candidat·es").fill("Théo Démo\nJulie Démo\nNicolas Démo")
    page.get_by_role("button", name="Enregistrer les résultats").click()
    page.wait_for_selector("text=Ligne 1 : Nombre de voix invalide « 2 46x »")
    assert ballot.lists.count() == 0

    # Corrected with a French thousands separator.
    page.get_by_label("Ligne 1 : Voix").fill("2 469")
    page.get_by_role("button", name="Enregistrer les résultats").click()
    page.wait_for_selector(".messages >> text=résultats enregistrés (2 listes, 8 candidat·es)")

    section = page.locator(f"#scrutin-{ballot.pk}")
    assert "Code de la santé publique, art. R4031-6, II, 2°" in section.inner_text()
    assert (
        "En cas d'égalité\u202f: le plus grand nombre de suffrages, puis la moyenne d'âge la plus "
        "élevée, puis tirage au sort." in section.inner_text()
    )
    section.get_by_role("button", name="Répartir les sièges et proclamer les élu·es").click()
    page.wait_for_selector(".messages >> text=sièges répartis et élu·es proclamé·es")

    section = page.locator(f"#scrutin-{ballot.pk}")
    elected = section.locator("h3:has-text('Élu·es') + ul li")
    assert elected.count() == 6
    text = section.inner_text()
    for name in ["Claire Démo", "Hugo Démo", "Inès Démo", "Marc Démo", "Théo Démo", "Julie Démo"]:
        assert name in text
    assert "Sarah Démo" not in text and "Nicolas Démo" not in text

    table = section.locator("table.calculation")
    row_a = table.locator("tr", has_text="Soins de proximité")
    cells = row_a.locator("td.num")
    # 2 469 ÷ 1…6: the first four won a seat (in bold), with decimal commas.
    assert cells.all_inner_texts() == [
        "2\u202f469",
        "1\u202f234,5",
        "823",
        "617,25",
        "493,8",
        "411,5",
    ]
    assert row_a.locator("strong").all_inner_texts() == [
        "2\u202f469",
        "1\u202f234,5",
        "823",
        "617,25",
    ]
    row_b = table.locator("tr", has_text="Cabinets ruraux")
    assert row_b.locator("strong").all_inner_texts() == ["1\u202f000", "500"]
    assert "333,33" in row_b.inner_text()
    assert errors == []
