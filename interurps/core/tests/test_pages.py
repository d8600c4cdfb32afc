import html
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from interurps.accounts.models import Role
from interurps.core.text import normalize_name
from interurps.geography import selectors
from interurps.geography.models import Commune, Region
from tests.factories import user_with_role


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client):
    with mock.patch("interurps.core.views.connection.cursor", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_home_dashboard_shows_figures_computed_from_the_database(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    region = Region.objects.get(code="52")
    Region.objects.filter(code="52").update(population=1234567)
    response = client.get(reverse("home:home"))
    page = html.unescape(response.text)
    assert "InterURPS Pays de la Loire" in page
    assert "1\u202f234\u202f567" in page  # French grouping with narrow no-break spaces
    communes = Commune.objects.filter(department__region=region, kind="COM").count()
    assert response.context["summary"]["commune_count"] == communes
    assert response.context["summary"]["department_count"] == 5
    assert len(response.context["unions"]) == 10
    for union in region.unions.all():
        assert union.name in page


@pytest.mark.django_db
def test_region_page_embeds_the_departments_geojson(client):
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(reverse("geography:region_detail", args=["52"]))
    assertContains(response, 'id="region-map-data"')
    features = response.context["map_data"]["features"]
    assert [f["properties"]["code"] for f in features] == ["44", "49", "53", "72", "85"]
    assert features[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.django_db
def test_commune_search_by_name_and_code(client):
    client.force_login(user_with_role(Role.HEALTH_PROFESSIONAL))
    response = client.get(reverse("geography:commune_list"), {"q": "chateau gontier"})
    names = [c.name for c in response.context["page"].object_list]
    assert "Château-Gontier-sur-Mayenne" in names
    response = client.get(reverse("geography:commune_list"), {"q": "5313"})
    assert all(c.code.startswith("5313") for c in response.context["page"].object_list)
    assert "Laval" in [c.name for c in response.context["page"].object_list]


@pytest.mark.django_db
def test_commune_search_answers_htmx_with_the_results_fragment(client):
    client.force_login(user_with_role(Role.HEALTH_PROFESSIONAL))
    response = client.get(
        reverse("geography:department_detail", args=["53"]), {"q": "laval"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assertContains(response, "Laval")


@pytest.mark.django_db
def test_commune_list_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    client.force_login(user_with_role(Role.HEALTH_PROFESSIONAL))
    with django_assert_max_num_queries(12):
        client.get(reverse("geography:department_detail", args=["53"]))


@pytest.mark.django_db
def test_commune_page_shows_paris_districts(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(reverse("geography:commune_detail", args=["75056"]))
    assert len(response.context["districts"]) == 20
    assertContains(response, "Paris 1er Arrondissement")


def test_normalize_name_examples():
    assert normalize_name("L'Île-d'Yeu") == "l ile d yeu"
    assert normalize_name("  Château-Gontier-sur-Mayenne ") == "chateau gontier sur mayenne"


@given(st.text())
def test_normalize_name_is_idempotent_and_plain(value):
    normalized = normalize_name(value)
    assert normalize_name(normalized) == normalized
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in normalized)
    assert normalized == normalized.strip()


def test_insee_code_prefix_recognises_corsica_and_overseas():
    for code in ("53", "53130", "2A004", "2b", "971", "97101"):
        assert selectors.INSEE_CODE_PREFIX.match(code), code
    for text in ("Laval", "", "5313O"):
        assert not selectors.INSEE_CODE_PREFIX.match(text), text
