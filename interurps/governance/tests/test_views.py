import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from interurps.accounts.models import Role
from interurps.governance import services
from interurps.governance.models import Attendance, Body, BodyMember, Meeting, StaffMember
from tests.factories import user_with_role

from .conftest import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_meeting(meeting, members):
    services.attendance_record(
        meeting=meeting, entries=sheet(members, present=range(7), represented={7: 0, 8: 1})
    )
    services.decision_create(
        meeting=meeting, title="Budget prévisionnel", votes_for=6, votes_against=2, abstentions=1
    )
    return services.meeting_mark_held(meeting=meeting)


def read_urls(board, meeting):
    return [
        reverse("governance:federation", args=["52"]),
        reverse("governance:body_detail", args=[board.pk]),
        reverse("governance:meeting_detail", args=[meeting.pk]),
        reverse("governance:meeting_pv", args=[meeting.pk]),
    ]


def body_write_urls(board, members):
    return [
        reverse("governance:body_create", args=["52"]),
        reverse("governance:body_edit", args=[board.pk]),
        reverse("governance:member_create", args=[board.pk]),
        reverse("governance:member_edit", args=[members[0].pk]),
        reverse("governance:staff_create", args=["52"]),
    ]


def meeting_write_urls(board, meeting):
    return [
        reverse("governance:meeting_create", args=[board.pk]),
        reverse("governance:meeting_edit", args=[meeting.pk]),
        reverse("governance:meeting_attendance", args=[meeting.pk]),
        reverse("governance:decision_create", args=[meeting.pk]),
    ]


@pytest.mark.parametrize("role", [Role.PARTNER, Role.UNION_MEMBER, Role.HEALTH_PROFESSIONAL])
def test_read_only_roles_read_but_do_not_write(client, board, members, held_meeting, role):
    client.force_login(user_with_role(role))
    for url in read_urls(board, held_meeting)[:2]:
        assert client.get(url).status_code == 200, url
    # Meetings, decisions and minutes are internal: the unions' elected members read them,
    # partners and health professionals do not.
    expected = 200 if role == Role.UNION_MEMBER else 403
    for url in read_urls(board, held_meeting)[2:]:
        assert client.get(url).status_code == expected, url
    for url in body_write_urls(board, members) + meeting_write_urls(board, held_meeting):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    for name in ("governance:meeting_mark_held", "governance:meeting_cancel"):
        assert client.post(reverse(name, args=[held_meeting.pk])).status_code == 403
    page = client.get(reverse("governance:meeting_detail", args=[held_meeting.pk])).text
    assert "Saisir les présences" not in page


def test_other_region_gets_403(client, board, members, held_meeting):
    for role in (Role.FEDERATION_ADMIN, Role.PARTNER):
        client.force_login(user_with_role(role, region_code="11"))
        urls = (
            read_urls(board, held_meeting)
            + body_write_urls(board, members)
            + meeting_write_urls(board, held_meeting)
        )
        for url in urls:
            assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, held_meeting):
    response = client.get(reverse("governance:meeting_detail", args=[held_meeting.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_staff_write_meetings_but_not_bodies(client, board, members, meeting):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    for url in body_write_urls(board, members):
        assert client.get(url).status_code == 403, url
    for url in meeting_write_urls(board, meeting):
        assert client.get(url).status_code == 200, url

    response = client.post(
        reverse("governance:meeting_create", args=[board.pk]),
        {"held_at": "2021-04-20T18:30", "place": "Nantes", "agenda": "1. Budget"},
    )
    created = Meeting.objects.get(body=board, place="Nantes")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.status == Meeting.Status.CONVENED

    data = {f"status_{m.pk}": "present" for m in members}
    data[f"status_{members[13].pk}"] = "represente"
    data[f"proxy_{members[13].pk}"] = str(members[0].pk)
    url = reverse("governance:meeting_attendance", args=[meeting.pk])
    assert client.post(url, data).status_code == 302
    assert meeting.attendances.filter(status=Attendance.Status.PRESENT).count() == 13

    url = reverse("governance:decision_create", args=[meeting.pk])
    data = {"title": "Budget", "votes_for": "10", "votes_against": "3", "abstentions": "1"}
    assert client.post(url, data).status_code == 302
    assert meeting.decisions.get().outcome_label == "adoptée"

    assert (
        client.post(reverse("governance:meeting_mark_held", args=[meeting.pk])).status_code == 302
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_attendance_form_reports_the_rules(client, members, meeting):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    data = {f"status_{m.pk}": "present" for m in members}
    data[f"status_{members[0].pk}"] = "absent"
    for i in (12, 13):
        data[f"status_{members[i].pk}"] = "represente"
        data[f"proxy_{members[i].pk}"] = str(members[0].pk)
    response = client.post(reverse("governance:meeting_attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Le mandataire doit être présent à la réunion" in page
    assert "Un membre ne peut détenir plus d'une procuration" in page
    assert not meeting.attendances.exists()


def test_decision_form_refuses_too_many_votes(client, held_meeting):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("governance:decision_create", args=[held_meeting.pk]),
        {"title": "Trop", "votes_for": "10", "votes_against": "0", "abstentions": "0"},
    )
    assert response.status_code == 200
    assert "dépasse le nombre de membres présents ou représentés (9)" in html.unescape(
        response.text
    )


def test_admin_writes_bodies_members_and_staff(client, federation, unions):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.post(
        reverse("governance:body_create", args=["52"]),
        {
            "kind": "bureau",
            "name": "Bureau",
            "quorum_numerator": "2",
            "quorum_denominator": "3",
            "quorum_counts_proxies": "",
            "max_proxies_per_member": "1",
            "quorum_rule_text": "Les deux tiers au moins des membres présents.",
        },
    )
    body = Body.objects.get(federation=federation, name="Bureau")
    assert response.status_code == 302
    assert (body.quorum_fraction, body.quorum_counts_proxies) == ((2, 3), False)

    response = client.post(
        reverse("governance:member_create", args=[body.pk]),
        {
            "full_name": "Agnès Poirier",
            "union": str(unions[6].pk),
            "office": "co_president",
            "start_date": "2020-01-01",
        },
    )
    assert response.status_code == 302
    assert BodyMember.objects.get(body=body).union == unions[6]

    response = client.post(
        reverse("governance:staff_create", args=["52"]),
        {
            "full_name": "Céline Morvan",
            "job_title": "Suivi administratif",
            "employer_kind": "union",
            "lent_by": str(unions[2].pk),
            "start_date": "2021-01-01",
        },
    )
    assert response.status_code == 302
    staff = StaffMember.objects.get(federation=federation)
    response = client.get(reverse("governance:federation", args=["52"]))
    page = html.unescape(strip_tags(response.text))
    assert f"mis·e à disposition par {unions[2].name}" in page
    assert "Agnès Poirier, co-président·e — URPS Orthophonistes" in page
    assert "Les deux tiers au moins des membres présents." in html.unescape(
        client.get(body.get_absolute_url()).text
    )
    edit = reverse("governance:staff_edit", args=["52", staff.pk])
    assert client.get(edit).status_code == 200


def test_staff_form_requires_the_lending_union(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.post(
        reverse("governance:staff_create", args=["52"]),
        {
            "full_name": "X",
            "job_title": "Suivi",
            "employer_kind": "union",
            "start_date": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert "Indiquez l'union qui met cette personne à disposition." in html.unescape(response.text)


def test_meeting_page_states_quorum_and_decisions(client, held_meeting):
    client.force_login(user_with_role(Role.UNION_MEMBER))
    response = client.get(reverse("governance:meeting_detail", args=[held_meeting.pk]))
    page = html.unescape(response.text)
    assert (
        "Quorum atteint\u202f: 9 membres présents ou représentés sur 14, 7 requis "
        "(la moitié au moins des membres)"
    ) in page
    assert "Budget prévisionnel" in page
    assert "adoptée" in page


def test_minutes_pdf(client, held_meeting):
    client.force_login(user_with_role(Role.UNION_MEMBER))
    response = client.get(reverse("governance:meeting_pv", args=[held_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="pv-conseil-d-administration-pays-de-la-loire-2021-03-23.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_unknown_federation_is_404(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    assert client.get(reverse("governance:federation", args=["99"])).status_code == 404
