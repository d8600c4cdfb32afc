"""Calendar feeds stop when the role that gave them is removed (issue 10)."""

import re

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.activities import selectors, services
from interurps.organizations.models import Federation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    return Federation.objects.select_related("region").get(region_id="52")


def feed_path(client, federation, user, which):
    """The address the subscriptions page gives `user` for the personal or federation feed."""
    client.force_login(user)
    page = client.get(reverse("activities:calendar_subscriptions", args=["52"])).text
    client.logout()
    paths = re.findall(r"/calendrier/[^\"<\s]+\.ics", page)
    personal = reverse("activities:ics_feed", args=[services.calendar_feed_for(user=user).token])
    return personal if which == "user" else next(p for p in paths if p != personal)


def test_federation_feed_stops_when_the_subscriber_role_is_removed(client, federation):
    staff = user_with_role(Role.FEDERATION_STAFF)
    path = feed_path(client, federation, staff, "federation")
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    staff.role_assignments.all().delete()
    assert client.get(path).status_code == 404


def test_federation_feed_stops_when_the_account_is_deactivated(client, federation):
    member = user_with_role(Role.UNION_MEMBER)
    path = feed_path(client, federation, member, "federation")
    assert client.get(path).status_code == 200
    member.is_active = False
    member.save()
    assert client.get(path).status_code == 404


def test_the_federation_secret_alone_is_not_an_address(client, federation):
    feed = services.calendar_feed_for(federation=federation)
    assert client.get(reverse("activities:ics_feed", args=[feed.token])).status_code == 404


def test_a_forged_or_foreign_subscription_is_refused(client, federation):
    feed = services.calendar_feed_for(federation=federation)
    professional = user_with_role(Role.HEALTH_PROFESSIONAL)
    token = selectors.federation_feed_token(feed, professional)
    assert client.get(reverse("activities:ics_feed", args=[token])).status_code == 404
    other_region_staff = user_with_role(Role.FEDERATION_STAFF, region_code="11")
    token = selectors.federation_feed_token(feed, other_region_staff)
    assert client.get(reverse("activities:ics_feed", args=[token])).status_code == 404
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(reverse("activities:ics_feed", args=[forged])).status_code == 404


def test_renewing_the_federation_feed_cuts_every_subscriber(client, federation):
    staff = user_with_role(Role.FEDERATION_STAFF)
    path = feed_path(client, federation, staff, "federation")
    services.calendar_feed_renew(feed=services.calendar_feed_for(federation=federation))
    assert client.get(path).status_code == 404


def test_personal_feed_stops_when_the_role_is_removed(client, federation):
    staff = user_with_role(Role.FEDERATION_STAFF)
    path = feed_path(client, federation, staff, "user")
    assert client.get(path).status_code == 200
    staff.role_assignments.all().delete()
    assert client.get(path).status_code == 404


def test_roles_that_do_not_read_the_calendar_get_no_subscription(client, federation):
    for role in (Role.PARTNER, Role.HEALTH_PROFESSIONAL, Role.SAS_REGULATOR):
        client.force_login(user_with_role(role))
        url = reverse("activities:calendar_subscriptions", args=["52"])
        assert client.get(url).status_code == 403, role
