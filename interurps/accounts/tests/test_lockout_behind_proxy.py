"""Login lockout behind the documented reverse proxy counts the real client address.

The proxy (REMOTE_ADDR 127.0.0.1) appends the address it received each request from to
X-Forwarded-For; the settings are production's, read from config.settings.prod.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.production import production_settings

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"
# The client-address settings, with the libraries' defaults for those production leaves out.
CLIENT_IP_SETTINGS = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
    "AXES_IPWARE_PROXY_ORDER": "left-most",
    "AXES_IPWARE_PROXY_COUNT": None,
    "AXES_IPWARE_PROXY_TRUSTED_IPS": None,
    "IPWARE_STRICT": None,
}


@pytest.fixture
def behind_the_proxy(monkeypatch):
    prod = production_settings(monkeypatch)
    values = {name: getattr(prod, name, default) for name, default in CLIENT_IP_SETTINGS.items()}
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, **values):
        yield


def login(client, forwarded_for, password):
    return client.post(
        reverse("accounts:login"),
        {"username": "camille@exemple.fr", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_a_locked_client_does_not_lock_another_client(client, behind_the_proxy):
    UserFactory(email="camille@exemple.fr")
    for _ in range(5):
        login(client, CLIENT_A, "faux")
    assert login(client, CLIENT_A, DEFAULT_PASSWORD).status_code == 429
    response = login(client, CLIENT_B, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_forged_header_does_not_lock_the_address_it_names(client, behind_the_proxy):
    """An attacker writing B's address in X-Forwarded-For is still counted as themselves:
    the proxy appends the real address, which is the one counted."""
    UserFactory(email="camille@exemple.fr")
    forged = f"{CLIENT_B}, {CLIENT_A}"
    for _ in range(6):
        login(client, forged, "faux")
    assert login(client, CLIENT_A, DEFAULT_PASSWORD).status_code == 429
    assert login(client, CLIENT_B, DEFAULT_PASSWORD).status_code == 302
