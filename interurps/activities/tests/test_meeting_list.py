import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.activities import services
from interurps.organizations.models import Federation
from tests.factories import user_with_role

from .test_activities import at, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    federation = Federation.objects.get(region_id="52")
    services.meeting_kinds_ensure(federation=federation)
    return federation


@pytest.fixture
def staff():
    return user_with_role(Role.FEDERATION_STAFF)


def test_meetings_list_newest_first_by_month_with_today_in_view(client, federation, staff):
    now = timezone.now()
    make(federation, staff, at(2021, 3, 9), title="Réunion de mars 2021")
    make(federation, staff, at(2021, 5, 4), title="Réunion de mai 2021")
    make(federation, staff, at(2021, 5, 20), title="Autre réunion de mai 2021")
    make(federation, staff, now + timedelta(days=40), title="Réunion à venir")
    client.force_login(staff)
    response = client.get(reverse("activities:meeting_list", args=["52"]))
    titles = [m.title for m in response.context["meetings"]]
    assert titles == [
        "Réunion à venir",
        "Autre réunion de mai 2021",
        "Réunion de mai 2021",
        "Réunion de mars 2021",
    ]
    page = html.unescape(response.text)
    months = re.findall(r"<tr class=\"month-row\"><th [^>]*>([^<]+)</th>", page)
    assert months[-2:] == ["Mai 2021", "Mars 2021"]
    assert len(months) == 3
    # The "today" line sits between the meetings to come and those held, with a link to it.
    assert page.index("Réunion à venir") < page.index('id="aujourdhui"')
    assert page.index('id="aujourdhui"') < page.index("Autre réunion de mai 2021")
    assert 'href="#aujourdhui"' in page


def test_calendar_has_a_today_button(client, federation, staff):
    client.force_login(staff)
    url = reverse("activities:calendar", args=["52"])
    page = html.unescape(client.get(url, {"date": "2021-10-07", "vue": "semaine"}).text)
    match = re.search(r'<a class="button secondary" href="(\?[^"]*)">Aujourd\'hui</a>', page)
    assert match
    response = client.get(url + match.group(1))
    assert response.context["view"] == "semaine"
    assert response.context["day"] == timezone.localdate()
