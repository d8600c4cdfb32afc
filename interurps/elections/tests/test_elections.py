import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.elections import selectors, services
from interurps.elections.models import Mandate
from interurps.elections.results_csv import parse_results
from interurps.organizations.models import Union
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

RESULTS = """liste;syndicat;voix;rang;candidat;date_naissance
Liste A;Syndicat A;100000;1;Anne Aubert;01/02/1960
Liste A;Syndicat A;100000;2;Alain Arnaud;03/04/1970
Liste A;Syndicat A;100000;3;Agathe André;
Liste A;Syndicat A;100000;4;Armand Adam;
Liste A;Syndicat A;100000;5;Aline Alix;
Liste B;Syndicat B;80000;1;Bruno Blanc;1965-05-05
Liste B;Syndicat B;80000;2;Béatrice Bon;
Liste B;Syndicat B;80000;3;Basile Brun;
Liste C;;30000;1;Carla Cour;
Liste C;;30000;2;Cyril Caron;
Liste D;;20000;1;Denis Dupuis;
"""


@pytest.fixture
def nurses():
    return Union.objects.get(region_id="52", profession_id="infirmiers")


@pytest.fixture
def ballot(nurses):
    election = services.election_create(union=nurses, held_on=date(2021, 4, 7))
    ballot = election.ballots.get()
    services.ballot_update(
        ballot=ballot, data={"seats_override": 8, "seats_override_reason": "Arrêté préfectoral"}
    )
    services.ballot_results_replace(ballot=ballot, parsed=parse_results(RESULTS.encode()))
    return ballot


def test_physicians_vote_in_two_colleges(db):
    physicians = Union.objects.get(region_id="52", profession_id="medecins")
    election = services.election_create(union=physicians, held_on=date(2021, 4, 7))
    assert [b.label for b in election.ballots.all()] == [
        "Médecins généralistes",
        "Autres spécialistes",
    ]


def test_csv_errors_name_the_line():
    bad = (
        b"liste;voix;rang;candidat\n"
        b"A;10;1;Anne\n"
        b"A;11;2;Alain\n"
        b"B;-3;1;Bruno\n"
        b"C;5;x;Carla\n"
        b"A;10;1;Encore\n"
    )
    parsed = parse_results(bad)
    assert not parsed.is_valid
    assert "Ligne 3 : la liste « A » a 11 voix ici mais 10 à la ligne 2." in parsed.errors
    assert any(e.startswith("Ligne 4, colonne « voix »") for e in parsed.errors)
    assert any(e.startswith("Ligne 5, colonne « rang »") for e in parsed.errors)
    assert "Ligne 6 : le rang 1 est déjà occupé sur la liste « A »." in parsed.errors
    assert parse_results(b"").errors == ["Le fichier est vide."]
    missing = parse_results(b"liste;rang;candidat\n").errors[0]
    assert "colonne(s) obligatoire(s) manquante(s) : voix" in missing


def test_allocation_proclaims_the_elected_in_list_order(ballot):
    services.ballot_allocate(ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.result["seats"] == {"Liste A": 4, "Liste B": 3, "Liste C": 1, "Liste D": 0}
    elected = list(
        ballot.mandates.order_by(
            "candidate__candidate_list__name", "candidate__position"
        ).values_list("candidate__full_name", flat=True)
    )
    assert elected == [
        "Anne Aubert",
        "Alain Arnaud",
        "Agathe André",
        "Armand Adam",
        "Bruno Blanc",
        "Béatrice Bon",
        "Basile Brun",
        "Carla Cour",
    ]
    mandate = ballot.mandates.first()
    assert (mandate.started_on, mandate.ends_on) == (date(2021, 4, 7), date(2026, 4, 7))
    table = {row["list"].name: row for row in selectors.calculation_table(ballot)}
    # Decimal commas and no-break thousands separators (issue 11).
    assert table["Liste A"]["cells"][0] == ("100\u202f000", True)
    assert table["Liste A"]["cells"][2] == ("33\u202f333,33", True)
    assert table["Liste A"]["cells"][4] == ("20\u202f000", False)
    assert table["Liste B"]["cells"][6] == ("11\u202f428,57", False)


def test_seat_override_needs_a_reason(nurses):
    election = services.election_create(union=nurses, held_on=date(2021, 4, 8))
    with pytest.raises(ValidationError, match="pourquoi"):
        services.ballot_update(ballot=election.ballots.get(), data={"seats_override": 5})


def test_vacated_seat_goes_to_the_next_candidate_then_stays_vacant(ballot):
    services.ballot_allocate(ballot=ballot)
    carla = ballot.mandates.get(candidate__full_name="Carla Cour")
    successor = services.mandate_vacate(mandate=carla, on=date(2022, 1, 10), reason="Démission")
    assert successor.candidate.full_name == "Cyril Caron"
    assert successor.replaces == carla and successor.ends_on == carla.ends_on
    assert (
        services.mandate_vacate(mandate=successor, on=date(2023, 1, 10), reason="Retraite") is None
    )
    vacancies = selectors.ballot_vacancies(ballot)
    assert (vacancies.seats, vacancies.filled, vacancies.vacant) == (8, 7, 1)
    assert not vacancies.partial_election_needed
    assert not selectors.election_vacancies(ballot.election).partial_election_needed


def test_half_the_seats_vacant_flags_a_partial_election(ballot):
    services.ballot_allocate(ballot=ballot)
    # List B has 3 seats and 3 candidates; list D none elected. Empty B, C and one of A.
    for name in ["Bruno Blanc", "Béatrice Bon", "Basile Brun", "Carla Cour"]:
        mandate = ballot.mandates.get(candidate__full_name=name)
        successor = services.mandate_vacate(
            mandate=mandate, on=date(2022, 1, 10), reason="Démission"
        )
        while successor is not None:
            successor = services.mandate_vacate(
                mandate=successor, on=date(2022, 1, 11), reason="Démission"
            )
    vacancies = selectors.ballot_vacancies(ballot)
    assert vacancies.vacant == 4 and vacancies.partial_election_needed
    assert selectors.election_vacancies(ballot.election).partial_election_needed


def test_results_cannot_be_replaced_after_a_vacancy(ballot):
    services.ballot_allocate(ballot=ballot)
    services.mandate_vacate(
        mandate=ballot.mandates.first(), on=date(2022, 1, 10), reason="Démission"
    )
    with pytest.raises(ValidationError, match="ne peuvent plus être remplacés"):
        services.ballot_results_replace(ballot=ballot, parsed=parse_results(RESULTS.encode()))
    with pytest.raises(ValidationError, match="ne peut plus être recalculée"):
        services.ballot_allocate(ballot=ballot)


def test_office_holder_is_replaced(ballot):
    services.ballot_allocate(ballot=ballot)
    first, second = ballot.mandates.all()[:2]
    services.office_assign(mandate=first, kind="president", started_on=date(2021, 5, 1))
    services.office_assign(mandate=second, kind="president", started_on=date(2023, 5, 1))
    assert first.offices.get().ended_on == date(2023, 5, 1)
    assert second.offices.get().ended_on is None


def test_members_read_and_admins_write(client, ballot, nurses):
    election = ballot.election
    client.force_login(user_with_role(Role.UNION_MEMBER))
    assert client.get(reverse("elections:detail", args=[election.pk])).status_code == 200
    assert client.get(reverse("elections:union", args=[nurses.pk])).status_code == 200
    assert client.post(reverse("elections:ballot_allocate", args=[ballot.pk])).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(reverse("elections:detail", args=[election.pk])).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.post(reverse("elections:ballot_allocate", args=[ballot.pk]), follow=True)
    assert "sièges répartis" in html.unescape(response.text)
    assert Mandate.objects.filter(ballot=ballot).count() == 8


def test_upload_then_allocate_then_pdf_sheet(client, nurses):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.post(reverse("elections:union", args=[nurses.pk]), {"held_on": "2021-04-07"})
    election = nurses.elections.get()
    assert response.url == election.get_absolute_url()
    ballot = election.ballots.get()
    client.post(
        reverse("elections:ballot_update", args=[ballot.pk]),
        {
            f"b{ballot.pk}-seats_override": "8",
            f"b{ballot.pk}-seats_override_reason": "Arrêté",
            f"b{ballot.pk}-tie_breakers": "votes,age,lot",
        },
    )
    upload = SimpleUploadedFile("resultats.csv", RESULTS.encode(), content_type="text/csv")
    response = client.post(
        reverse("elections:ballot_upload", args=[ballot.pk]),
        {f"u{ballot.pk}-file": upload},
        follow=True,
    )
    assert "4 liste(s) et 11 candidat·es importés" in html.unescape(response.text)
    client.post(reverse("elections:ballot_allocate", args=[ballot.pk]))
    page = html.unescape(client.get(election.get_absolute_url()).text)
    assert "÷ 8" in page and "<strong>100\u202f000</strong>" in page
    assert "<strong>33\u202f333,33</strong>" in page and "100000.00" not in page
    pdf = client.get(reverse("elections:sheet", args=[election.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == (
        'inline; filename="resultats-urps-infirmiers-liberaux-pays-de-la-loire-2021-04-07.pdf"'
    )
    # Elected on 7 April 2021 for five years: the mandate ended on 7 April 2026.
    directory = client.get(reverse("elections:directory", args=["52"]))
    assert "Anne Aubert" not in html.unescape(directory.text)


def test_bad_upload_writes_nothing(client, ballot):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    upload = SimpleUploadedFile("r.csv", b"liste;voix;rang;candidat\nX;abc;1;Y\n")
    response = client.post(
        reverse("elections:ballot_upload", args=[ballot.pk]),
        {f"u{ballot.pk}-file": upload},
        follow=True,
    )
    assert "Résultats non importés" in html.unescape(response.text)
    assert ballot.lists.count() == 4


def test_seats_come_from_the_csp_scale_or_the_colleges_arrete(nurses):
    election = services.election_create(union=nurses, held_on=date(2021, 4, 9))
    ballot = election.ballots.get()
    assert selectors.ballot_seats(ballot)[0] is None
    services.ballot_update(ballot=ballot, data={"registered_voters": 2000})
    seats, source = selectors.ballot_seats(ballot)
    assert seats == 12  # R4031-6 II: 1,501 to 2,500 professionals -> 12 members
    assert "R. 4031-6" in source or "R4031-6" in source
    physicians = Union.objects.get(region_id="52", profession_id="medecins")
    college_ballot = services.election_create(
        union=physicians, held_on=date(2021, 4, 9)
    ).ballots.first()
    services.ballot_update(ballot=college_ballot, data={"registered_voters": 6000})
    seats, source = selectors.ballot_seats(college_ballot)
    assert seats is None and "R4031-14" in source
