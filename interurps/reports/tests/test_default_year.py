import html

import pytest
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_report_opens_on_the_last_complete_year(client):
    client.force_login(user_with_role(Role.PARTNER))
    year = timezone.localdate().year
    response = client.get(reverse("reports:current", args=["52"]))
    assert response.status_code == 302
    assert response.url == reverse("reports:report", args=["52", year - 1])
    page = html.unescape(client.get(response.url).text)
    assert "Année en cours" not in page


def test_current_year_report_says_it_is_partial(client):
    client.force_login(user_with_role(Role.PARTNER))
    year = timezone.localdate().year
    page = html.unescape(client.get(reverse("reports:report", args=["52", year])).text)
    assert "Année en cours\u202f: les chiffres s'arrêtent au" in page
    assert f'href="{reverse("reports:report", args=["52", year - 1])}"' in page


def test_current_report_of_another_region_is_refused(client):
    client.force_login(user_with_role(Role.PARTNER))
    assert client.get(reverse("reports:current", args=["11"])).status_code == 403
