"""Sign-in with Pro Santé Connect (PSC), the national OpenID Connect provider of health
professionals, through mozilla-django-oidc.

Configured from the environment only (settings PSC_*): off unless the discovery URL, the
client id and the client secret are all set — then the URLs exist, the login page shows the
button and the backend is listed. The discovery document gives the endpoints, the issuer
and the keys (JWKS); both are fetched on first use and cached.

What is checked on the way back from the provider:
- state (the library: an unknown state is refused), nonce (in the ID token), PKCE S256 (the
  provider checks the verifier the library sends with the code);
- the ID token's RS256 signature against the provider's keys (an unknown key id makes us
  fetch the keys once more, for key rotation), its issuer, audience (our client id), expiry
  and issue time, and when present its `acr` against PSC_ACR_VALUES;
- the userinfo's `sub` is the ID token's.

Then `services.psc_sign_in` matches the national identifier to the registry (see there).
"""

import hashlib
import logging
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

logger = logging.getLogger(__name__)

# Session keys.
SIGNED_IN = "psc_signed_in"  # this session was opened by Pro Santé Connect
ID_TOKEN = "psc_id_token"  # for the provider's sign-out (id_token_hint)
UNKNOWN = "psc_unknown"  # the identity of a professional the registry does not hold
LINK_USER = "psc_link_user"  # a signed-in account asked to link its RPPS

REQUIRED_DISCOVERY_KEYS = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
)


class ProviderError(Exception):
    """The provider's discovery document or keys cannot be read."""


def enabled() -> bool:
    return bool(
        settings.PSC_DISCOVERY_URL and settings.PSC_CLIENT_ID and settings.PSC_CLIENT_SECRET
    )


def _cache_key(kind: str, url: str) -> str:
    return f"psc:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderError(f"{url}: {exc}") from exc
    if not isinstance(document, dict):
        raise ProviderError(f"{url}: not a JSON object")
    return document


def discovery() -> dict:
    """The provider's discovery document (cached PSC_DISCOVERY_CACHE seconds)."""
    url = settings.PSC_DISCOVERY_URL
    key = _cache_key("discovery", url)
    document = cache.get(key)
    if document is None:
        document = _get_json(url)
        missing = [name for name in REQUIRED_DISCOVERY_KEYS if not document.get(name)]
        if missing:
            raise ProviderError(f"{url}: discovery document without {', '.join(missing)}")
        cache.set(key, document, settings.PSC_DISCOVERY_CACHE)
    return document


def signing_keys(*, refresh: bool = False) -> list[dict]:
    """The provider's public keys (JWKS), cached like the discovery document."""
    url = discovery()["jwks_uri"]
    key = _cache_key("jwks", url)
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = _get_json(url).get("keys") or []
        cache.set(key, keys, settings.PSC_DISCOVERY_CACHE)
    return keys


# --- claims -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PscIdentity:
    """What Pro Santé Connect says of the professional, as the application uses it."""

    national_id: str  # idNat_PS as sent ("8" + RPPS for an RPPS professional)
    rpps: str | None  # the 11-digit RPPS, None for another kind of identifier (ADELI…)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    profession: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def rpps_of(national_id: str) -> str | None:
    """The RPPS in a national identifier: idNat_PS is "8" followed by the 11-digit RPPS;
    a bare RPPS is accepted too. Other identifiers (ADELI, "0" + ADELI…) give None."""
    value = (national_id or "").strip()
    if value.isdigit() and len(value) == 12 and value.startswith("8"):
        return value[1:]
    if value.isdigit() and len(value) == 11:
        return value
    return None


def _profession(value) -> str:
    """A short text for the profession claim (PSC: SubjectRefPro.exercices[].codeProfession
    and its label when sent); any other shape is kept as text."""
    if isinstance(value, dict):
        exercises = value.get("exercices") or []
        labels = []
        for exercise in exercises if isinstance(exercises, list) else []:
            if isinstance(exercise, dict):
                label = exercise.get("libelleProfession") or exercise.get("codeProfession")
                if label:
                    labels.append(str(label))
        return ", ".join(dict.fromkeys(labels))[:150]
    return str(value or "")[:150]


def identity_from_claims(claims: dict) -> PscIdentity | None:
    """The identity in the userinfo claims (names of the claims: settings PSC_*_CLAIM)."""
    national_id = ""
    for name in settings.PSC_RPPS_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            national_id = value.strip()
            break
    if not national_id or len(national_id) > 20:
        return None
    return PscIdentity(
        national_id=national_id,
        rpps=rpps_of(national_id),
        first_name=str(claims.get(settings.PSC_GIVEN_NAME_CLAIM) or "")[:150],
        last_name=str(claims.get(settings.PSC_FAMILY_NAME_CLAIM) or "")[:150],
        email=str(claims.get(settings.PSC_EMAIL_CLAIM) or "")[:254],
        profession=_profession(claims.get(settings.PSC_PROFESSION_CLAIM)),
    )


# --- settings read by mozilla-django-oidc, from PSC_* and the discovery document ----------

_FROM_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "PSC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "PSC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "PSC_SCOPES",
}


def oidc_setting(attr, *args):
    if attr in _FROM_SETTINGS:
        return getattr(settings, _FROM_SETTINGS[attr])
    return import_from_settings(attr, *args)


class ProSanteConnectBackend(OIDCAuthenticationBackend):
    """The authentication backend of the callback (listed only when PSC is on)."""

    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Nothing fetched here: Django builds every backend for every password sign-in.
        self.UserModel = get_user_model()

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802 (the library's name)
        return settings.PSC_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.PSC_CLIENT_SECRET

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802
        return discovery()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return discovery()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return discovery()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        # Only the callback view calls with a nonce; a password sign-in never reaches the
        # provider, even with ?code=…&state=… in its address.
        if request is None or not enabled() or "nonce" not in kwargs or "username" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, ProviderError, requests.RequestException) as exc:
            logger.warning("Pro Santé Connect sign-in refused: %s", exc)
            return None

    # The ID token -------------------------------------------------------------------

    def _key_for(self, kid):
        for refresh in (False, True):
            keys = [k for k in signing_keys(refresh=refresh) if k.get("kty") == "RSA"]
            if kid is not None:
                keys = [k for k in keys if k.get("kid") == kid]
            if len(keys) == 1 or (keys and kid is not None):
                return jwt.PyJWK(keys[0]).key
        raise SuspiciousOperation(f"no provider key for kid {kid!r}")

    def _decode(self, token: str, *, audience_required: bool = True) -> dict:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"unreadable token: {exc}") from exc
        if header.get("alg") != "RS256":
            raise SuspiciousOperation(f"token algorithm {header.get('alg')!r}, RS256 expected")
        key = self._key_for(header.get("kid"))
        try:
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=settings.PSC_CLIENT_ID if audience_required else None,
                issuer=discovery()["issuer"],
                leeway=30,
                options={
                    "require": ["exp", "iat", "iss", "sub"]
                    + (["aud"] if audience_required else []),
                    "verify_aud": audience_required,
                },
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"token refused: {exc}") from exc

    def verify_token(self, token, **kwargs):
        payload = self._decode(token)
        nonce = kwargs.get("nonce")
        if not nonce or payload.get("nonce") != nonce:
            raise SuspiciousOperation("ID token nonce does not match the session's")
        accepted = settings.PSC_ACR_VALUES.split()
        if accepted and "acr" in payload and payload["acr"] not in accepted:
            raise SuspiciousOperation(f"authentication level {payload['acr']!r} not accepted")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            claims = self._decode(response.text, audience_required=False)
        else:
            claims = response.json()
        if not isinstance(claims, dict):
            raise SuspiciousOperation("userinfo is not an object")
        if claims.get("sub") and claims["sub"] != payload.get("sub"):
            raise SuspiciousOperation("userinfo subject differs from the ID token's")
        return claims

    # The account ----------------------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        from interurps.accounts import services

        claims = self.get_userinfo(access_token, id_token, payload)
        identity = identity_from_claims({**payload, **claims})
        if identity is None:
            raise SuspiciousOperation("no national identifier in the claims")
        session = self.request.session
        link_user_id = session.pop(LINK_USER, None)
        if link_user_id is not None:
            return self._link(link_user_id, identity)
        outcome = services.psc_sign_in(identity=identity)
        if outcome.user is None:
            session[UNKNOWN] = identity.as_dict()
            return None
        user = outcome.user
        user.psc_id_token = id_token
        user.psc_welcome = outcome.created or bool(outcome.new_regions)
        return user

    def _link(self, user_id, identity):
        from interurps.accounts import services

        user = self.UserModel.objects.filter(pk=user_id, is_active=True).first()
        current = getattr(self.request, "user", None)
        if user is None or current is None or current.pk != user.pk:
            raise SuspiciousOperation("link asked by another account than the signed-in one")
        try:
            services.psc_link(user=user, identity=identity)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            messages.success(
                self.request,
                "Votre compte est lié à Pro Santé Connect : vous pouvez désormais vous "
                "connecter avec votre carte CPS ou l'application e-CPS.",
            )
        return user


# --- views --------------------------------------------------------------------------------


class PscAuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE challenge in the session)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the endpoint is read on use, not here

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802
        return discovery()["authorization_endpoint"]

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.PSC_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            discovery()
        except ProviderError as exc:
            logger.warning("Pro Santé Connect unavailable: %s", exc)
            messages.error(
                request,
                "Pro Santé Connect ne répond pas pour le moment. Réessayez dans quelques "
                "minutes ou connectez-vous avec votre adresse électronique.",
            )
            return redirect("accounts:login")
        return super().get(request)

    def get_extra_params(self, request):
        return {"acr_values": settings.PSC_ACR_VALUES} if settings.PSC_ACR_VALUES else {}


class PscCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with the code and the state."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not enabled():
            raise Http404
        request.session.pop(UNKNOWN, None)
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # a state this session never sent
            logger.warning("Pro Santé Connect callback refused: %s", exc)
            return self.login_failure()

    @property
    def success_url(self):
        if getattr(self.user, "psc_welcome", False):
            return reverse("accounts:psc_welcome")
        return super().success_url

    def login_failure(self):
        if self.request.session.get(UNKNOWN):
            return redirect("accounts:psc_unknown")
        messages.error(
            self.request,
            "La connexion avec Pro Santé Connect n'a pas abouti. Recommencez, ou "
            "connectez-vous avec votre adresse électronique.",
        )
        return redirect("accounts:login")


def provider_logout_url(request, id_token: str) -> str | None:
    """The provider's end-session address (with id_token_hint), when it advertises one."""
    try:
        endpoint = discovery().get("end_session_endpoint")
    except ProviderError as exc:
        logger.warning("Pro Santé Connect sign-out not sent: %s", exc)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
            "state": get_random_string(32),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def remember_sign_in(sender, request, user, **kwargs):
    """`user_logged_in`: mark a session opened by Pro Santé Connect (strong authentication
    for a professional; the ID token for the provider's sign-out)."""
    if getattr(user, "backend", "") == settings.PSC_BACKEND and request is not None:
        request.session[SIGNED_IN] = True
        if getattr(user, "psc_id_token", None):
            request.session[ID_TOKEN] = user.psc_id_token


def logout_redirect(request, id_token, response):
    """After the local sign-out: on to the provider's when the session came from it."""
    if id_token and enabled():
        url = provider_logout_url(request, id_token)
        if url:
            return HttpResponseRedirect(url)
    return response
