"""Pasting INSEE codes: linear in the number of tokens, and capped."""

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.cpts.selectors import (
    MAX_CODES,
    MAX_CODES_TEXT,
    insee_codes_size_error,
    parse_insee_codes,
)
from tests.factories import user_with_role


def test_codes_are_deduplicated_in_their_order():
    assert parse_insee_codes("53130, 53062;53130\n2a004 53062|75101") == [
        "53130",
        "53062",
        "2A004",
        "75101",
    ]


def test_a_large_paste_within_the_caps_is_parsed_whole():
    # 4,999 distinct codes, each pasted twice: the duplicates go, the order stays.
    codes = [f"{n:05d}" for n in range(10_000, 10_000 + MAX_CODES - 1)]
    text = " ".join(codes + codes)
    assert len(text) < MAX_CODES_TEXT
    assert insee_codes_size_error(text) is None
    assert parse_insee_codes(text) == codes


def test_a_paste_of_many_tokens_is_linear():
    # 200,000 tokens: a list-membership dedup would do about 10**10 comparisons here.
    text = " ".join(f"{n % 3000:05d}" for n in range(200_000))
    assert len(parse_insee_codes(text)) == 3000


def test_too_many_codes_are_refused_in_french():
    text = " ".join(f"{n:05d}" for n in range(MAX_CODES + 1))
    assert insee_codes_size_error(text) == (
        "La liste compte 5\u202f001 codes INSEE : un territoire en compte au plus 5\u202f000."
    )


def test_too_long_a_paste_is_refused_in_french():
    error = insee_codes_size_error("5" * (MAX_CODES_TEXT + 1))
    assert error.startswith("La liste est trop longue (60\u202f001 caractères)")


@pytest.mark.django_db
def test_the_territory_form_refuses_an_oversized_paste(client, make_cpts):
    cpts = make_cpts("CPTS du Bocage", ["53130"])
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    text = " ".join(f"{n:05d}" for n in range(MAX_CODES + 1))
    response = client.post(reverse("cpts:territory", args=[cpts.pk]), {"codes": text})
    assert response.status_code == 200
    assert "un territoire en compte au plus" in response.content.decode()
    assert list(cpts.communes.values_list("code", flat=True)) == ["53130"]


@pytest.mark.django_db
def test_the_diagnostic_refuses_an_oversized_paste(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    text = " ".join(f"{n:05d}" for n in range(MAX_CODES + 1))
    response = client.get(reverse("diagnostics:territory"), {"codes": text})
    assert response.status_code == 200
    assert "un territoire en compte au plus" in response.content.decode()
