"""The diagnostic PDF (heavy) is for federation staff and partners, capped and one at a time."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.diagnostics import views
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
CODES = "53130 53054 53034"  # Laval, Changé, Bonchamp-lès-Laval


def ask_pdf(client, **params):
    return client.get(reverse("diagnostics:territory"), {"codes": CODES, "format": "pdf", **params})


@pytest.mark.parametrize(
    "role", [Role.UNION_MEMBER, Role.CPTS_COORDINATOR, Role.HEALTH_PROFESSIONAL, Role.SAS_REGULATOR]
)
def test_other_roles_get_no_pdf(client, role):
    client.force_login(user_with_role(role))
    assert ask_pdf(client).status_code == 403
    # The page itself stays readable, without the PDF link.
    page = client.get(reverse("diagnostics:territory"), {"codes": CODES})
    assert page.status_code == 200
    assert "format=pdf" not in page.text


def test_staff_of_another_region_get_no_pdf(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert ask_pdf(client).status_code == 403


def test_partners_get_no_pdf_above_the_commune_limit(client, settings):
    settings.DIAGNOSTIC_PDF_MAX_COMMUNES = 2
    client.force_login(user_with_role(Role.PARTNER))
    response = ask_pdf(client, label="Agglomération de Laval")
    assert response.status_code == 302
    assert "format=pdf" not in response.url
    page = client.get(response.url)
    assert "au plus 2 communes\u202f; celui-ci en compte 3" in page.text
    assert "Agglomération de Laval" in page.text


def test_partners_get_the_pdf_within_the_limit_and_staff_without_limit(client, settings):
    settings.DIAGNOSTIC_PDF_MAX_COMMUNES = 3
    client.force_login(user_with_role(Role.PARTNER))
    response = ask_pdf(client)
    assert response["Content-Type"] == "application/pdf"
    settings.DIAGNOSTIC_PDF_MAX_COMMUNES = 2
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = ask_pdf(client)
    assert response["Content-Type"] == "application/pdf"


def test_one_pdf_at_a_time_per_person(client):
    staff = user_with_role(Role.FEDERATION_STAFF)
    client.force_login(staff)
    cache.set(views._pdf_lock_key(staff), True)  # a PDF of theirs is being made
    try:
        response = ask_pdf(client)
        assert response.status_code == 302
        assert "déjà en préparation pour vous" in client.get(response.url).text
    finally:
        cache.delete(views._pdf_lock_key(staff))
    # Once it is done, the lock is released after each PDF.
    assert ask_pdf(client)["Content-Type"] == "application/pdf"
    assert cache.get(views._pdf_lock_key(staff)) is None
