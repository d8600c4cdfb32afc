"""Results typed in a grid (one row per list), the seat scale above 3,500 voters, the
tie-break order in words and the calculation table with decimal commas (issue 11)."""

import html
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.elections import selectors, services
from interurps.organizations.models import Union
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot():
    nurses = Union.objects.get(region_id="52", profession_id="infirmiers")
    return services.election_create(union=nurses, held_on=date(2026, 4, 8)).ballots.get()


@pytest.fixture
def admin_client(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    return client


def grid_data(rows, *, initial=0):
    data = {
        "grille-TOTAL_FORMS": str(len(rows)),
        "grille-INITIAL_FORMS": str(initial),
        "grille-MIN_NUM_FORMS": "0",
        "grille-MAX_NUM_FORMS": "200",
    }
    for index, (name, syndicate, votes, candidates) in enumerate(rows):
        data |= {
            f"grille-{index}-name": name,
            f"grille-{index}-syndicate": syndicate,
            f"grille-{index}-votes": votes,
            f"grille-{index}-candidates": candidates,
        }
    return data


def test_results_typed_in_the_grid_are_saved(admin_client, ballot):
    url = reverse("elections:ballot_grid", args=[ballot.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="grille-0-votes"' in page.text and 'name="grille-2-votes"' in page.text
    response = admin_client.post(
        url,
        grid_data(
            [
                ("Liste démo A", "Syndicat A", "1 234", "Anne Aubert ; 01/02/1960\nAlain Arnaud"),
                ("", "", "", ""),  # a blank row is ignored
                ("Liste démo B", "", "617", "Bruno Blanc ; 1965-05-05\n\nBéatrice Bon\n"),
            ]
        ),
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#scrutin-{ballot.pk}")
    lists = {cl.name: cl for cl in ballot.lists.prefetch_related("candidates")}
    assert {name: cl.votes for name, cl in lists.items()} == {
        "Liste démo A": 1234,
        "Liste démo B": 617,
    }
    assert lists["Liste démo A"].syndicate == "Syndicat A"
    assert [
        (c.position, c.full_name, c.birth_date) for c in lists["Liste démo B"].candidates.all()
    ] == [
        (1, "Bruno Blanc", date(1965, 5, 5)),
        (2, "Béatrice Bon", None),
    ]
    # The grid opens again on what was saved, with blank rows to add lists.
    again = html.unescape(admin_client.get(url).text)
    assert "Anne Aubert ; 01/02/1960" in again and 'value="1234"' in again
    assert 'name="grille-4-name"' in again


def test_grid_errors_are_per_row_in_french_and_nothing_is_written(admin_client, ballot):
    url = reverse("elections:ballot_grid", args=[ballot.pk])
    response = admin_client.post(
        url,
        grid_data(
            [
                ("Liste démo A", "", "12a", "Anne Aubert"),
                ("Liste démo B", "", "50", "Bruno Blanc ; 31/02/1960\n ; 01/01/1970"),
                ("liste démo a", "", "10", "Carla Cour"),
                ("Liste démo D", "", "", ""),
                ("Liste démo E", "", "40", "Emma Roy"),
            ]
        ),
    )
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert (
        "Ligne 1\u202f: Nombre de voix invalide "
        "«\u202f12a\u202f»\u202f: un entier positif, par exemple 3 120." in page
    )
    assert (
        "Ligne 2\u202f: Candidat·e n° 1 (Bruno Blanc)\u202f: date de "
        "naissance illisible «\u202f31/02/1960\u202f» "
        "(JJ/MM/AAAA attendu, entre 1900 et 2100)." in page
    )
    assert "Ligne 2\u202f: Candidat·e n° 2\u202f: le nom est vide." in page
    assert "Ligne 4\u202f: Ce champ est obligatoire." in page
    assert "Ligne 4\u202f: Indiquez au moins un·e candidat·e." not in page  # field required first
    assert ballot.lists.count() == 0  # all or nothing


def test_grid_refuses_a_list_typed_twice(admin_client, ballot):
    response = admin_client.post(
        reverse("elections:ballot_grid", args=[ballot.pk]),
        grid_data([("Liste démo A", "", "12", "Anne"), ("liste  démo A", "", "10", "Carla")]),
    )
    assert "Ligne 2\u202f: Cette liste figure déjà à la ligne 1 de la grille." in html.unescape(
        response.text
    )
    assert ballot.lists.count() == 0


def test_grid_with_only_blank_rows_is_refused(admin_client, ballot):
    response = admin_client.post(
        reverse("elections:ballot_grid", args=[ballot.pk]), grid_data([("", "", "", "")])
    )
    assert "Saisissez au moins une liste." in html.unescape(response.text)


def test_grid_replaces_previous_results_and_refuses_after_a_vacancy(admin_client, ballot):
    url = reverse("elections:ballot_grid", args=[ballot.pk])
    admin_client.post(url, grid_data([("Liste démo A", "", "100", "Anne\nAlain")]))
    admin_client.post(url, grid_data([("Liste démo B", "", "80", "Bruno")], initial=1))
    assert list(ballot.lists.values_list("name", flat=True)) == ["Liste démo B"]
    services.ballot_update(
        ballot=ballot, data={"seats_override": 1, "seats_override_reason": "Test"}
    )
    services.ballot_allocate(ballot=ballot)
    services.mandate_vacate(mandate=ballot.mandates.get(), on=date(2026, 6, 1), reason="Démission")
    response = admin_client.post(url, grid_data([("Liste démo C", "", "5", "Carla")]))
    assert "ne peuvent plus être remplacés" in html.unescape(response.text)
    assert list(ballot.lists.values_list("name", flat=True)) == ["Liste démo B"]


def test_grid_is_for_federation_admins(client, ballot):
    url = reverse("elections:ballot_grid", args=[ballot.pk])
    client.force_login(user_with_role(Role.UNION_MEMBER))
    assert client.get(url).status_code == 403
    assert client.post(url, grid_data([("A", "", "1", "Anne")])).status_code == 403
    assert ballot.lists.count() == 0


def test_a_union_of_4800_voters_gets_18_seats_with_a_french_source(admin_client, ballot):
    services.ballot_update(ballot=ballot, data={"registered_voters": 4800})
    seats, source = selectors.ballot_seats(ballot)
    assert seats == 18
    assert source == "Code de la santé publique, art. R4031-6, II, 6°"
    page = html.unescape(admin_client.get(ballot.election.get_absolute_url()).text)
    assert (
        "Sièges\u202f: <strong>18</strong> — Code de la santé publique, art. R4031-6, II, 6°"
        in page
    )
    assert "non déterminé" not in page and "french-business-law" not in page


def test_tie_break_order_is_shown_in_words(admin_client, ballot):
    page = html.unescape(admin_client.get(ballot.election.get_absolute_url()).text)
    assert (
        "Départage\u202f: En cas d'égalité\u202f: le plus grand "
        "nombre de suffrages, puis la moyenne "
        "d'âge la plus élevée, puis tirage au sort." in page
    )
    # The settings form offers the orders in words and stores the codes.
    assert (
        '<option value="lot,votes">Tirage au sort, puis le plus grand nombre de suffrages</option>'
        in page
    )
    admin_client.post(
        reverse("elections:ballot_update", args=[ballot.pk]),
        {f"b{ballot.pk}-tie_breakers": "votes,lot"},
    )
    ballot.refresh_from_db()
    assert ballot.tie_breakers == "votes,lot"
    page = html.unescape(admin_client.get(ballot.election.get_absolute_url()).text)
    assert (
        "Départage\u202f: En cas d'égalité\u202f: le plus grand "
        "nombre de suffrages, puis tirage au sort." in page
    )


def test_calculation_table_uses_decimal_commas_on_the_page_and_the_pdf(admin_client, ballot):
    admin_client.post(
        reverse("elections:ballot_grid", args=[ballot.pk]),
        grid_data(
            [
                ("Liste démo A", "", "2469", "\n".join(f"A{i}" for i in range(1, 6))),
                ("Liste démo B", "", "1000", "\n".join(f"B{i}" for i in range(1, 6))),
            ]
        ),
    )
    services.ballot_update(
        ballot=ballot, data={"seats_override": 4, "seats_override_reason": "Test"}
    )
    services.ballot_allocate(ballot=ballot)
    page = html.unescape(admin_client.get(ballot.election.get_absolute_url()).text)
    # 2469 / 2 = 1 234,5 ; 2469 / 3 = 823 ; 1000 / 3 = 333,33
    assert "<strong>1\u202f234,5</strong>" in page
    assert "<strong>2\u202f469</strong>" in page and "333,33" in page
    assert "1234.5" not in page and "1234.50" not in page
    pdf = admin_client.get(reverse("elections:sheet", args=[ballot.election.pk])).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True
    ).stdout.decode()
    words = " ".join(text.split())  # pdftotext renders no-break spaces as plain ones
    assert "1 234,5" in words and "333,33" in words and "1234.5" not in words
    assert "le plus grand nombre de suffrages, puis la moyenne" in words
