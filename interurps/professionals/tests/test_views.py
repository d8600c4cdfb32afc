import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.professionals import services
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
LIST = reverse("professionals:list")


@pytest.fixture
def gp(make_professional):
    return make_professional(
        identifier="10001234567",
        last_name="Martin",
        first_name="Claire",
        search_name="martin claire",
        specialty="Médecine générale",
        practice_mode="liberal",
        sites=[("53130", "liberal")],
    )


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        (Role.FEDERATION_STAFF, "52", 200),
        (Role.FEDERATION_ADMIN, "52", 200),
        (Role.FEDERATION_STAFF, "11", 200),
        (Role.UNION_MEMBER, "52", 403),
        (Role.PARTNER, "52", 403),
        (Role.CPTS_COORDINATOR, "52", 403),
    ],
)
def test_registry_access_per_role(client, gp, role, region, status):
    client.force_login(user_with_role(role, region_code=region))
    assert client.get(LIST).status_code == status
    assert client.get(gp.get_absolute_url()).status_code == status


def test_anonymous_users_are_sent_to_the_login_page(client, gp):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(gp.get_absolute_url()).status_code == 302


def test_superusers_see_the_registry(client, gp):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(LIST).status_code == 200


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    return client


def test_search_by_name_identifier_and_commune(staff_client, gp, make_professional):
    make_professional(
        "infirmiers", last_name="Petit", first_name="Anne", sites=[("44109", "liberal")]
    )
    for query in ["martin", "Claire Martin", "1000123", "Laval", "53130"]:
        response = staff_client.get(LIST, {"q": query})
        assert "Martin Claire" in response.text, query
        assert "Petit" not in response.text, query
    response = staff_client.get(LIST, {"profession": "infirmiers"})
    assert "Petit Anne" in response.text and "Martin" not in response.text


def test_short_words_match_the_start_of_a_word_and_each_match_is_listed_once(
    staff_client, gp, make_professional
):
    make_professional(last_name="Lemaire", first_name="Paul", search_name="lemaire paul")
    make_professional(last_name="Ma", first_name="Li", search_name="ma li")
    listed = lambda query: [  # noqa: E731
        p.last_name for p in staff_client.get(LIST, {"q": query}).context["page"].object_list
    ]
    # "ma": the start of a word (Martin, Ma), not inside one (Lemaire)
    assert listed("ma") == ["Ma", "Martin"]
    assert listed("mai") == ["Lemaire"]  # three letters: anywhere in the name
    assert listed("cl") == ["Martin"]  # the first name's start
    # Laval practises in Laval: matched by name and by commune, listed once
    make_professional(
        last_name="Laval", first_name="Jo", search_name="laval jo", sites=[("53130", "liberal")]
    )
    assert listed("laval") == ["Laval", "Martin"]


def test_retired_professionals_are_hidden_unless_asked(staff_client, gp):
    gp.active = False
    gp.save()
    assert "Martin Claire" not in staff_client.get(LIST).text
    assert "Martin Claire" in staff_client.get(LIST, {"retraites": "1"}).text


def _list_queries(client, **params) -> int:
    services.registry_counts_rebuild()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(queries)


def test_the_list_is_paginated_with_a_bounded_number_of_queries(staff_client, make_professional):
    def add(first, last):
        for i in range(first, last):
            make_professional(
                last_name=f"Nom{i:02d}", sites=[("44109", "liberal"), ("49007", "liberal")]
            )

    add(0, 5)
    few = _list_queries(staff_client)
    add(5, 60)
    assert _list_queries(staff_client) == few
    response = staff_client.get(LIST)
    assert "Page 1 sur 2" in response.text
    assert "60 professionnels" in response.text
    assert staff_client.get(LIST, {"page": 2}).context["page"].object_list[0].last_name == "Nom50"
    assert _list_queries(staff_client, q="nom") == _list_queries(staff_client, q="nom0")


def test_a_search_is_paged_without_counting_its_matches(staff_client, make_professional):
    for i in range(60):
        make_professional(last_name=f"Nom{i:02d}")
    services.registry_counts_rebuild()
    with CaptureQueriesContext(connection) as queries:
        page = html.unescape(staff_client.get(LIST, {"q": "nom"}).text)
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert "Résultats 1 à 50 (et suivants) pour «\u202fnom\u202f»" in page
    assert "Page 1" in page and "Page 1 sur" not in page and "Suivante" in page
    page = html.unescape(staff_client.get(LIST, {"q": "nom", "page": 2}).text)
    assert "Résultats 51 à 60 pour «\u202fnom\u202f»" in page and "Suivante" not in page
    # Past the end: an empty page, said so.
    page = html.unescape(staff_client.get(LIST, {"q": "nom", "page": 9}).text)
    assert "Aucun professionnel ne correspond" in page


def test_professional_page(staff_client, gp):
    response = staff_client.get(gp.get_absolute_url())
    assert response.status_code == 200
    assert "Claire Martin" in response.text and "Médecine générale" in response.text
    assert "Laval" in response.text
    assert staff_client.get(reverse("professionals:detail", args=[999_999])).status_code == 404
