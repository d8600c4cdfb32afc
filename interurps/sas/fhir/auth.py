"""Clients of the FHIR interface and their bearer tokens.

A token is `secrets.token_urlsafe(32)` (43 characters, 256 bits), shown once when the client
is created (`manage.py sas_api_client NAME`). The database keeps only its first 8
characters (to find the client without scanning every row) and its SHA-256: a token read
from a database dump opens nothing. Tokens are compared with `hmac.compare_digest`.
"""

import hashlib
import hmac
import secrets

from django.db import transaction

from interurps.core.usage import record_use
from interurps.sas.models import ApiClient

PREFIX_LENGTH = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def api_client_create(*, name: str) -> tuple[ApiClient, str]:
    """Create a client; returns it with its token, which is not stored and never shown again."""
    token = _new_token()
    client = ApiClient(name=name.strip(), token_prefix=token[:PREFIX_LENGTH])
    client.token_hash = token_hash(token)
    client.full_clean()
    client.save()
    return client, token


@transaction.atomic
def api_client_rotate(*, client: ApiClient) -> str:
    """Give `client` a new token (the old one stops working) and reactivate it."""
    token = _new_token()
    client.token_prefix = token[:PREFIX_LENGTH]
    client.token_hash = token_hash(token)
    client.active = True
    client.save(update_fields=["token_prefix", "token_hash", "active"])
    return token


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    client.active = False
    client.save(update_fields=["active"])
    return client


def client_for_token(token: str) -> ApiClient | None:
    """The active client holding `token`, or None."""
    if not token or len(token) < PREFIX_LENGTH or len(token) > 200:
        return None
    digest = token_hash(token)
    found = None
    for client in ApiClient.objects.filter(token_prefix=token[:PREFIX_LENGTH], active=True):
        # Every candidate is compared, in constant time, whatever the first one gave.
        if hmac.compare_digest(client.token_hash, digest):
            found = client
    return found


def bearer_token(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def touch(client: ApiClient) -> None:
    """Record the use of `client` (at most once a minute: `core.usage.record_use`)."""
    record_use(client)
