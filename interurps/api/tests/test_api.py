"""The open API: answers scoped per role and region as the pages are, JSON errors in
French, personal tokens (hashed, revocable, last use), the one write endpoint."""

import pytest
from django.test import Client
from django.urls import reverse

from interurps.accounts import policy
from interurps.accounts.models import Role
from interurps.accounts.policy import Kind
from interurps.api import services
from interurps.api.models import ApiToken
from interurps.cpom.models import Measurement

pytestmark = pytest.mark.django_db


def bearer(user) -> Client:
    _, raw = services.api_token_create(user=user, name="Outil de test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def endpoints(w) -> list[tuple[str, str, Kind]]:
    """(name, address, kind of record) of region `w`'s records."""
    n = w.named
    rc = [w.region.code]
    return [
        ("region_cpts", reverse("api:region_cpts", args=rc), Kind.CPTS),
        ("cpts_detail", reverse("api:cpts_detail", args=[n["cpts"].pk]), Kind.CPTS),
        ("cpts_territory", reverse("api:cpts_territory", args=[n["cpts"].pk]), Kind.CPTS),
        ("region_coverage", reverse("api:region_coverage", args=rc), Kind.COVERAGE),
        (
            "department_coverage",
            reverse("api:department_coverage", args=[w.department.code]),
            Kind.COVERAGE,
        ),
        (
            "activity_counts",
            reverse("api:activity_counts", args=rc) + "?annee=2021",
            Kind.ACTIVITY_COUNTS,
        ),
        ("region_indicators", reverse("api:region_indicators", args=rc), Kind.CPOM),
        ("indicator_detail", reverse("api:indicator_detail", args=[n["indicator"].pk]), Kind.CPOM),
        ("region_events", reverse("api:region_events", args=rc), Kind.EVENT),
        ("event_detail", reverse("api:event_detail", args=[n["event"].pk]), Kind.EVENT),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_every_role_reads_what_its_pages_show_in_its_region_only(api_world, role):
    client = bearer(api_world.a.users[role])
    wrong = []
    for w, own_region in ((api_world.a, True), (api_world.b, False)):
        for name, url, kind in endpoints(w):
            allowed = own_region and policy.allows_read(policy.access_of({role}, kind))
            status = client.get(url).status_code
            if status != (200 if allowed else 403):
                wrong.append(f"{name} {'A' if own_region else 'B'}: {status}")
    assert wrong == []


def test_answers_hold_the_records_and_are_paginated(api_world):
    client = bearer(api_world.a.users[Role.PARTNER])
    page = client.get(reverse("api:region_cpts", args=["52"])).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert [c["name"] for c in page["results"]] == [api_world.a.named["cpts"].name]
    indicators = client.get(reverse("api:region_indicators", args=["52"])).json()["results"]
    assert [i["id"] for i in indicators] == [api_world.a.named["indicator"].pk]
    territory = client.get(reverse("api:cpts_territory", args=[api_world.a.named["cpts"].pk]))
    assert territory.json()["type"] == "FeatureCollection"
    ordered = client.get(reverse("api:region_events", args=["52"]) + "?ordering=title&kind=zzz")
    assert ordered.status_code == 400 and "kind" in ordered.json()["erreurs"]


def test_territory_indicators_for_a_department(api_world):
    client = bearer(api_world.a.users[Role.CPTS_COORDINATOR])
    url = reverse("api:territory_indicators")
    answer = client.get(url, {"departement": "53", "profession": "infirmiers"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["profession"] == "infirmiers" and data["communes"]
    assert data["population"] == sum(c["population"] for c in data["communes"])
    two = client.get(url, {"departement": "53", "epci": "x"})
    assert two.status_code == 400
    assert two.json()["erreurs"]["non_field_errors"] == [
        "Indiquez un seul territoire : cpts, epci, departement ou communes."
    ]
    roleless = bearer(api_world.a.users[Role.PARTNER].__class__.objects.create_user(email="x@y.fr"))
    assert roleless.get(url, {"departement": "53"}).status_code == 403


def test_without_credentials_the_answer_is_401_json_in_french(api_world):
    response = Client().get(reverse("api:region_cpts", args=["52"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Authentification requise")
    assert response["WWW-Authenticate"].startswith("Bearer")
    missing = Client().get("/api/v1/cpts/999999/", HTTP_AUTHORIZATION="Bearer iu_faux")
    assert missing.status_code == 401 and "Jeton invalide" in missing.json()["detail"]


def test_a_token_is_stored_hashed_records_its_use_and_stops_when_revoked(api_world):
    user = api_world.a.users[Role.FEDERATION_STAFF]
    token, raw = services.api_token_create(user=user, name="Tableau de bord")
    assert raw.startswith("iu_") and raw not in (token.key_hash, token.prefix)
    assert token.key_hash == services.token_hash(raw) and token.last_used_at is None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(reverse("api:region_events", args=["52"])).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    services.api_token_revoke(token=token)
    assert client.get(reverse("api:region_events", args=["52"])).status_code == 401


def test_the_account_page_creates_shows_once_and_revokes_tokens(api_world):
    user = api_world.a.users[Role.PARTNER]
    client = Client()
    client.force_login(user)
    page = client.post(reverse("api_tokens"), {"name": "ORS"}).content.decode()
    token = ApiToken.objects.get(user=user, name="ORS")
    secret = page.split('<code class="token-secret">')[1].split("</code>")[0]
    assert services.token_hash(secret) == token.key_hash
    assert secret not in client.get(reverse("api_tokens")).content.decode()  # shown once
    other = ApiToken.objects.create(
        user=api_world.a.users[Role.FEDERATION_STAFF], name="autre", prefix="x", key_hash="y" * 64
    )
    client.post(reverse("api_tokens"), {"revoke": other.pk})  # not theirs: untouched
    other.refresh_from_db()
    assert other.revoked_at is None
    client.post(reverse("api_tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_measurement_is_written_through_the_form_and_the_service(api_world):
    indicator = api_world.a.named["indicator"]
    url = reverse("api:indicator_measurements", args=[indicator.pk])
    body = {"measured_on": "2026-03-31", "value": "12.50", "source": "Bilan"}
    partner = bearer(api_world.a.users[Role.PARTNER])
    assert partner.post(url, body, content_type="application/json").status_code == 403
    staff = bearer(api_world.a.users[Role.FEDERATION_STAFF])
    created = staff.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    measurement = Measurement.objects.get(pk=created.json()["id"])
    assert measurement.entered_by == api_world.a.users[Role.FEDERATION_STAFF]
    bad = staff.post(
        url, {"measured_on": "1800-01-01", "value": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()["erreurs"]) == {"measured_on", "value"}
    other_region = bearer(api_world.b.users[Role.FEDERATION_STAFF])
    assert other_region.post(url, body, content_type="application/json").status_code == 403
