from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.governance import selectors
from interurps.governance.demo import governance_demo_load
from interurps.governance.models import Attendance, Body, BodyMember, Decision, Meeting
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def snapshot(federation):
    return [
        Body.objects.filter(federation=federation).count(),
        BodyMember.objects.filter(body__federation=federation).count(),
        Meeting.objects.filter(body__federation=federation).count(),
        Attendance.objects.filter(meeting__body__federation=federation).count(),
        Decision.objects.filter(meeting__body__federation=federation).count(),
        federation.staff_members.count(),
    ]


def test_demo_is_idempotent_and_holds_11_board_meetings_in_2021(client, federation):
    bodies = governance_demo_load(federation=federation)
    first = snapshot(federation)
    governance_demo_load(federation=federation)
    assert snapshot(federation) == first

    board = bodies["board"]
    assert selectors.held_meeting_count(board, 2021) == 11
    labels = [c.label for c in selectors.held_meeting_counts(federation)]
    assert "11 conseils d'administration en 2021" in labels
    assert "1 assemblée générale en 2021" in labels
    assembly = bodies["assembly"].meetings.get()
    assert assembly.held_on == date(2021, 3, 9)
    assert selectors.current_members(board).count() == 10  # one per union
    assert len(selectors.co_presidents(federation)) == 3
    lent_by = set(federation.staff_members.values_list("lent_by__profession_id", flat=True))
    assert lent_by == {"infirmiers", "chirurgiens-dentistes"}
    for meeting in board.meetings.all():
        quorum = selectors.meeting_quorum(meeting)
        assert quorum.result.reached
        assert 1 <= meeting.decisions.count() <= 2

    client.force_login(user_with_role(Role.PARTNER))
    page = client.get(reverse("governance:federation", args=["52"])).text
    assert "11 conseils d&#x27;administration en 2021" in page
