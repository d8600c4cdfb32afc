"""Access requests of professionals unknown to the registry: the federation's staff of the
region see and answer them; nobody else does."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from interurps.accounts import services
from interurps.accounts.models import AccessRequest, Role
from interurps.accounts.psc import PscIdentity
from interurps.geography.models import Region
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

IDENTITY = PscIdentity(
    national_id="810009999999", rpps="10009999999", first_name="Alex", last_name="Durand"
)


def _request(region_code="52"):
    return services.access_request_create(
        identity=IDENTITY,
        email="alex@exemple.fr",
        region=Region.objects.get(code=region_code),
        message="Installée à Nantes depuis mars.",
    )


def test_staff_of_the_region_see_and_accept_a_request(client):
    request = _request()
    staff = user_with_role(Role.FEDERATION_STAFF, "52")
    client.force_login(staff)
    url = reverse("accounts:access_requests", args=["52"])
    page = client.get(url)
    assert "Alex Durand" in page.text and "Installée à Nantes" in page.text
    response = client.post(
        url, {"access_request": request.pk, "status": "accepted", "note": "Compte créé."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.ACCEPTED
    assert request.processed_by == staff and request.processed_at is not None
    assert LogEntry.objects.get_for_object(request).count() == 2  # created, answered
    again = client.post(url, {"access_request": request.pk, "status": "refused"}, follow=True)
    assert "pas été enregistrée" in again.text
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.ACCEPTED


def test_other_regions_and_other_roles_are_refused(client):
    request = _request()
    url = reverse("accounts:access_requests", args=["52"])
    for user in (
        user_with_role(Role.FEDERATION_STAFF, "11"),
        user_with_role(Role.HEALTH_PROFESSIONAL, "52"),
        user_with_role(Role.PARTNER, "52"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"access_request": request.pk, "status": "refused"}).status_code == 403
        )
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING


def test_one_pending_request_per_identifier_and_region():
    _request()
    with pytest.raises(Exception, match="déjà en attente"):
        _request()
    _request("11")  # another federation: allowed
