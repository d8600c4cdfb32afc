"""Sign-in with Pro Santé Connect, against a real OpenID Connect provider started on a
loopback port (oidc_provider.py): the authorization code flow with PKCE, state and nonce,
the ID token's signature and expiry, the registry matching, linking, sign-out."""

import importlib
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

from interurps.accounts import policy, psc
from interurps.accounts.models import AccessRequest, ProSanteConnectLink, Role, RoleAssignment
from interurps.accounts.services import role_assign
from interurps.accounts.tests.oidc_provider import Provider
from interurps.geography.models import Commune, Region
from interurps.professionals.models import PracticeSite, Professional
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.django_db,
    # authlib announces a future signature of its internal hooks: nothing for us to change.
    pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning"),
]

RPPS = "10001234567"
RPPS_TWO_REGIONS = "10007654321"
RPPS_UNKNOWN = "10009999999"


@pytest.fixture(scope="session")
def provider():
    started = Provider().start()
    yield started
    started.stop()


def _reload_urls():
    import config.urls
    import interurps.accounts.urls

    importlib.reload(interurps.accounts.urls)
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def psc_on(provider):
    provider.reset()
    cache.clear()
    with override_settings(
        PSC_DISCOVERY_URL=provider.discovery_url,
        PSC_CLIENT_ID=provider.client.client_id,
        PSC_CLIENT_SECRET=provider.client.client_secret,
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, settings.PSC_BACKEND],
    ):
        _reload_urls()
        try:
            yield provider
        finally:
            cache.clear()
    _reload_urls()


def _professional(rpps, *communes, active=True):
    professional = Professional.objects.create(
        identifier=rpps,
        identifier_kind="rpps",
        source="annuaire",
        profession_id="medecins",
        last_name="Martin",
        first_name="Camille",
        search_name="martin camille",
        active=active,
    )
    for code in communes:
        PracticeSite.objects.create(
            professional=professional, commune=Commune.objects.get(code=code), mode="liberal"
        )
    return professional


def psc_sign_in(client, provider, *, follow_callback=True, tamper_state=False):
    """Start at our button, go through the provider (auto-approved), come back."""
    start = client.get(reverse("accounts:psc_authenticate"))
    assert start.status_code == 302
    authorize_url = start["Location"]
    assert authorize_url.startswith(provider.base_url + "/authorize?")
    at_provider = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    callback = at_provider.headers["Location"]
    if tamper_state:
        parts = dict(parse_qsl(urlsplit(callback).query))
        parts["state"] = "etat-inconnu"
        callback = callback.split("?")[0] + "?" + "&".join(f"{k}={v}" for k, v in parts.items())
    assert callback.startswith("http://testserver/comptes/pro-sante-connect/retour/?")
    if not follow_callback:
        return callback
    return client.get(callback.removeprefix("http://testserver"))


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- off unless configured -------------------------------------------------------------


def test_off_by_default_no_url_no_button_no_backend(client):
    assert not psc.enabled()
    assert settings.PSC_BACKEND not in settings.AUTHENTICATION_BACKENDS
    response = client.get(reverse("accounts:login"))
    assert "Pro Santé Connect" not in response.text
    assert client.get("/comptes/pro-sante-connect/").status_code == 404
    assert client.get("/comptes/pro-sante-connect/retour/?code=x&state=y").status_code == 404


def test_on_the_login_page_shows_the_button(client, psc_on):
    response = client.get(reverse("accounts:login"))
    assert "Se connecter avec Pro Santé Connect" in response.text


def test_every_psc_url_is_declared_in_the_policy(psc_on):
    from django.urls import get_resolver

    names = {
        f"accounts:{p.name}"
        for p in get_resolver().url_patterns
        for p in getattr(p, "url_patterns", [])
        if getattr(p, "name", None) and p.name.startswith("psc_")
    }
    assert {"accounts:psc_authenticate", "accounts:psc_callback", "accounts:psc_link"} <= names
    assert all(policy.page_of(name) is not None for name in names)


# --- the flow --------------------------------------------------------------------------


def test_authorization_request_uses_pkce_s256_state_nonce_and_acr(client, psc_on):
    start = client.get(reverse("accounts:psc_authenticate"))
    params = dict(parse_qsl(urlsplit(start["Location"]).query))
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert params["state"] and params["nonce"]
    assert params["acr_values"] == "eidas1"
    assert params["scope"] == "openid scope_all"
    stored = client.session["oidc_states"][params["state"]]
    assert stored["nonce"] == params["nonce"] and stored["code_verifier"]


def test_first_sign_in_creates_the_account_with_the_role_and_welcomes(client, psc_on):
    professional = _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS, email="camille.martin@exemple.fr")
    response = psc_sign_in(client, psc_on)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:psc_welcome")
    user_id = _signed_in_user_id(client)
    assert user_id
    link = ProSanteConnectLink.objects.get(rpps=RPPS)
    assert str(link.user_id) == user_id
    assert link.user.email == "camille.martin@exemple.fr"
    assert not link.user.has_usable_password()
    roles = RoleAssignment.objects.filter(user=link.user)
    assert [(r.role, r.region_id, r.professional_id) for r in roles] == [
        (Role.HEALTH_PROFESSIONAL, "52", professional.pk)
    ]
    welcome = client.get(response["Location"])
    assert "Pays de la Loire" in welcome.text
    assert "créneaux partagés" in welcome.text
    assert client.session[psc.SIGNED_IN] is True
    # The code was used once: the provider refuses a replay (and our state is gone).
    assert psc_on.codes == {}


def test_second_sign_in_opens_the_same_account_without_welcome(client, psc_on):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    psc_sign_in(client, psc_on)
    first = _signed_in_user_id(client)
    other = Client()
    response = psc_sign_in(other, psc_on)
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert _signed_in_user_id(other) == first
    assert ProSanteConnectLink.objects.count() == 1


def test_the_client_secret_can_go_in_a_basic_header(client, psc_on):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    with override_settings(OIDC_TOKEN_USE_BASIC_AUTH=True):
        psc_sign_in(client, psc_on)
    assert _signed_in_user_id(client)


def test_an_rpps_in_two_regions_gets_two_roles(client, psc_on):
    _professional(RPPS_TWO_REGIONS, "44109", "75056")
    psc_on.sign_in_as(rpps=RPPS_TWO_REGIONS)
    psc_sign_in(client, psc_on)
    user = ProSanteConnectLink.objects.get(rpps=RPPS_TWO_REGIONS).user
    assert sorted(
        user.role_assignments.filter(role=Role.HEALTH_PROFESSIONAL).values_list(
            "region_id", flat=True
        )
    ) == ["11", "52"]


def test_an_existing_account_holding_the_rpps_is_linked_not_duplicated(client, psc_on):
    professional = _professional(RPPS, "44109")
    existing = UserFactory(email="camille@cabinet.fr")
    role_assign(
        user=existing,
        role=Role.HEALTH_PROFESSIONAL,
        region=Region.objects.get(code="52"),
        professional=professional,
    )
    psc_on.sign_in_as(rpps=RPPS, email="autre@exemple.fr")
    response = psc_sign_in(client, psc_on)
    assert _signed_in_user_id(client) == str(existing.pk)
    assert ProSanteConnectLink.objects.get(rpps=RPPS).user == existing
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)  # nothing new


def test_unknown_rpps_no_account_and_a_request_to_the_federation(client, psc_on):
    psc_on.sign_in_as(rpps=RPPS_UNKNOWN, first_name="Alex", last_name="Durand")
    response = psc_sign_in(client, psc_on)
    assert response["Location"] == reverse("accounts:psc_unknown")
    assert _signed_in_user_id(client) is None
    assert not ProSanteConnectLink.objects.exists()
    page = client.get(response["Location"])
    assert "Alex Durand" in page.text and f"8{RPPS_UNKNOWN}" in page.text
    sent = client.post(
        response["Location"],
        {"email": "alex@exemple.fr", "region": "52", "message": "Installée depuis mars."},
    )
    assert "Demande envoyée" in sent.text
    request = AccessRequest.objects.get()
    assert (request.rpps, request.last_name, request.region_id) == (
        f"8{RPPS_UNKNOWN}",
        "Durand",
        "52",
    )
    assert request.status == AccessRequest.Status.PENDING
    # The identity came from the provider: without the session, no form.
    assert "<form" not in Client().get(response["Location"]).text.split("<main")[1]


def test_an_inactive_professional_is_treated_as_unknown(client, psc_on):
    _professional(RPPS, "44109", active=False)
    psc_on.sign_in_as(rpps=RPPS)
    response = psc_sign_in(client, psc_on)
    assert response["Location"] == reverse("accounts:psc_unknown")
    assert _signed_in_user_id(client) is None


# --- what is refused ---------------------------------------------------------------------


def test_a_forged_id_token_is_refused(client, psc_on, caplog):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    psc_on.mode = "forged"  # signed with another key under the published key id
    response = psc_sign_in(client, psc_on)
    assert "Signature verification failed" in caplog.text
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_user_id(client) is None
    assert not ProSanteConnectLink.objects.exists()


def test_an_expired_id_token_is_refused(client, psc_on, caplog):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    psc_on.mode = "expired"
    response = psc_sign_in(client, psc_on)
    assert "Signature has expired" in caplog.text
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_user_id(client) is None


def test_an_id_token_with_another_nonce_is_refused(client, psc_on, caplog):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    psc_on.mode = "wrong_nonce"
    response = psc_sign_in(client, psc_on)
    assert "nonce does not match" in caplog.text
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_user_id(client) is None


def test_a_wrong_state_is_refused(client, psc_on, caplog):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    response = psc_sign_in(client, psc_on, tamper_state=True)
    assert "state not found" in caplog.text
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_user_id(client) is None


def test_a_callback_in_another_browser_is_refused(client, psc_on):
    """The state belongs to the session that started: a code carried to another browser
    (no state, no PKCE verifier there) signs nobody in."""
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    callback = psc_sign_in(client, psc_on, follow_callback=False)
    other = Client()
    response = other.get(callback.removeprefix("http://testserver"))
    assert response.status_code == 302 and _signed_in_user_id(other) is None


def test_pkce_the_provider_refuses_a_wrong_verifier(client, psc_on):
    """The provider checks PKCE: the code with another verifier gets no token."""
    psc_on.sign_in_as(rpps=RPPS)
    callback = psc_sign_in(client, psc_on, follow_callback=False)
    code = dict(parse_qsl(urlsplit(callback).query))["code"]
    answer = requests.post(
        f"{psc_on.base_url}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": psc_on.client.redirect_uris[0],
            "client_id": psc_on.client.client_id,
            "client_secret": psc_on.client.client_secret,
            "code_verifier": "x" * 64,
        },
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_a_password_sign_in_never_reaches_the_provider(client, psc_on):
    user = UserFactory(email="camille@exemple.fr")
    response = client.post(
        reverse("accounts:login") + "?code=abc&state=def",
        {"username": user.email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(user.pk)
    assert psc_on.authorize_requests == []


# --- linking an existing account -----------------------------------------------------------


def test_a_password_account_links_pro_sante_connect_from_its_page(client, psc_on):
    professional = _professional(RPPS, "44109")
    user = UserFactory(email="camille@exemple.fr")
    client.force_login(user)
    page = client.get(reverse("accounts:account"))
    assert "Lier mon compte à Pro Santé Connect" in page.text
    psc_on.sign_in_as(rpps=RPPS)
    start = client.post(reverse("accounts:psc_link"))
    assert start["Location"].startswith(reverse("accounts:psc_authenticate"))
    to_provider = client.get(start["Location"])
    at_provider = requests.get(to_provider["Location"], allow_redirects=False, timeout=10)
    callback = at_provider.headers["Location"]
    response = client.get(callback.removeprefix("http://testserver"))
    assert response["Location"] == reverse("accounts:account")
    assert ProSanteConnectLink.objects.get(rpps=RPPS).user == user
    assert user.role_assignments.get().professional == professional
    assert _signed_in_user_id(client) == str(user.pk)
    # From now on, Pro Santé Connect opens this account.
    other = Client()
    psc_sign_in(other, psc_on)
    assert _signed_in_user_id(other) == str(user.pk)


def test_linking_is_refused_when_another_account_holds_the_rpps(client, psc_on):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    psc_sign_in(Client(), psc_on)  # the professional's own account, created by PSC
    intruder = UserFactory(email="autre@exemple.fr")
    client.force_login(intruder)
    client.post(reverse("accounts:psc_link"))
    response = psc_sign_in(client, psc_on)
    assert _signed_in_user_id(client) == str(intruder.pk)
    assert not ProSanteConnectLink.objects.filter(user=intruder).exists()
    page = client.get(response["Location"], follow=True)
    assert "déjà lié à un autre compte" in page.text


# --- sign-out --------------------------------------------------------------------------


def test_sign_out_ends_the_provider_session(client, psc_on):
    _professional(RPPS, "44109")
    psc_on.sign_in_as(rpps=RPPS)
    psc_sign_in(client, psc_on)
    id_token = client.session[psc.ID_TOKEN]
    response = client.post(reverse("accounts:logout"))
    assert _signed_in_user_id(client) is None
    location = response["Location"]
    assert location.startswith(f"{psc_on.base_url}/logout?")
    params = dict(parse_qsl(urlsplit(location).query))
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/comptes/connexion/"
    requests.get(location, allow_redirects=False, timeout=10)
    assert psc_on.logouts[-1]["id_token_hint"] == id_token


def test_a_password_session_signs_out_locally_only(client, psc_on):
    user = UserFactory()
    client.login(email=user.email, password=DEFAULT_PASSWORD)
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
