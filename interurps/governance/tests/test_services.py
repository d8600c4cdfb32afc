from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interurps.governance import selectors, services
from interurps.governance.models import Attendance, Body, Meeting, StaffMember
from interurps.organizations.models import Union

from .conftest import paris, sheet

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_attendance_is_recorded_and_sets_the_quorum(meeting, members):
    services.attendance_record(
        meeting=meeting, entries=sheet(members, present=range(7), represented={7: 0, 8: 1})
    )
    quorum = selectors.meeting_quorum(meeting)
    assert (quorum.members, quorum.present, quorum.represented) == (14, 7, 2)
    assert quorum.result.explanation_fr.startswith(
        "Quorum atteint : 9 membres présents ou représentés sur 14, 7 requis"
    )


def test_recording_again_replaces_the_sheet(meeting, members):
    services.attendance_record(meeting=meeting, entries=sheet(members, present=range(14)))
    services.attendance_record(meeting=meeting, entries=sheet(members, present=range(3)))
    assert meeting.attendances.count() == 14
    assert meeting.attendances.filter(status=Attendance.Status.PRESENT).count() == 3


def test_proxy_holder_must_be_present(meeting, members):
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(
            meeting=meeting, entries=sheet(members, present=range(5), represented={7: 10})
        )
    assert "Le mandataire doit être présent à la réunion" in messages_of(excinfo)
    assert not meeting.attendances.exists()


def test_one_proxy_per_holder_by_default(meeting, members):
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(
            meeting=meeting, entries=sheet(members, present=range(5), represented={7: 0, 8: 0})
        )
    assert "Un membre ne peut détenir plus d'une procuration (Membre 01 en détient 2)." in (
        messages_of(excinfo)
    )


def test_the_body_may_allow_more_proxies(make_body):
    body = make_body(size=6, name="Bureau", kind=Body.Kind.BUREAU, max_proxies_per_member=2)
    members = list(body.members.order_by("full_name"))
    meeting = services.meeting_create(body=body, held_at=paris(2021, 5, 4, 12))
    services.attendance_record(
        meeting=meeting, entries=sheet(members, present=range(3), represented={4: 0, 5: 0})
    )
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(
            meeting=meeting,
            entries=sheet(members, present=range(1), represented={3: 0, 4: 0, 5: 0}),
        )
    assert "Un membre ne peut détenir plus de 2 procurations" in messages_of(excinfo)


def test_represented_member_needs_a_holder_of_the_same_body(meeting, members, make_body):
    entries = sheet(members, present=range(5))
    entries[9] = services.AttendanceEntry(members[9], Attendance.Status.REPRESENTED)
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, entries=entries)
    assert "Membre 10 : Indiquez le mandataire du membre représenté." in messages_of(excinfo)

    other = make_body(size=2, name="Bureau", kind=Body.Kind.BUREAU).members.first()
    entries[9] = services.AttendanceEntry(members[9], Attendance.Status.REPRESENTED, other)
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, entries=entries)
    assert "Le mandataire doit être membre de la même instance." in messages_of(excinfo)


def test_every_member_in_office_and_only_them(meeting, members, board):
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, entries=sheet(members[:13], present=[0]))
    assert "manque : Membre 14" in messages_of(excinfo)

    late = services.body_member_create(
        body=board, full_name="Arrivée tardive", start_date=date(2021, 9, 1)
    )
    entries = sheet(members, present=[0]) + [
        services.AttendanceEntry(late, Attendance.Status.PRESENT)
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, entries=entries)
    assert "Arrivée tardive n'était pas membre de l'instance le 23/03/2021." in (
        messages_of(excinfo)
    )


def test_members_count_on_the_day_of_the_meeting(board, members, meeting):
    services.body_member_update(member=members[0], data={"end_date": date(2021, 1, 31)})
    assert selectors.meeting_quorum(meeting).members == 13
    assert selectors.current_members(board).count() == 13
    assert list(selectors.past_members(board.federation)) == [members[0]]


def test_decision_votes_cannot_exceed_voters(meeting, members):
    services.attendance_record(
        meeting=meeting, entries=sheet(members, present=range(7), represented={7: 0, 8: 1})
    )
    decision = services.decision_create(
        meeting=meeting, title="Budget", votes_for=5, votes_against=3, abstentions=1
    )
    assert (decision.order, decision.outcome_label) == (1, "adoptée")
    with pytest.raises(ValidationError) as excinfo:
        services.decision_create(meeting=meeting, title="Trop", votes_for=8, votes_against=2)
    assert "le total des votes (10) dépasse le nombre de membres présents ou représentés (9)" in (
        messages_of(excinfo)
    )
    tie = services.decision_create(meeting=meeting, title="Égalité", votes_for=4, votes_against=4)
    assert (tie.order, tie.outcome_label) == (2, "rejetée")
    with pytest.raises(ValidationError):
        services.decision_update(decision=decision, data={"abstentions": 2})


def test_attendance_cannot_shrink_below_recorded_votes(meeting, members):
    services.attendance_record(meeting=meeting, entries=sheet(members, present=range(9)))
    services.decision_create(meeting=meeting, title="Budget", votes_for=9)
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, entries=sheet(members, present=range(8)))
    assert "le total des votes (9) dépasse" in messages_of(excinfo)
    assert meeting.attendances.filter(status=Attendance.Status.PRESENT).count() == 9


def test_mark_held_rules(board, members, meeting):
    with pytest.raises(ValidationError, match="Enregistrez d'abord les présences"):
        services.meeting_mark_held(meeting=meeting)
    services.attendance_record(meeting=meeting, entries=sheet(members, present=range(9)))
    meeting = services.meeting_mark_held(meeting=meeting, minutes="Séance levée à 20 h.")
    assert meeting.status == Meeting.Status.HELD
    with pytest.raises(ValidationError, match="déjà déclarée tenue"):
        services.meeting_mark_held(meeting=meeting)

    future = services.meeting_create(body=board, held_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError, match="avant sa date"):
        services.meeting_mark_held(meeting=future)
    services.meeting_cancel(meeting=future)
    with pytest.raises(ValidationError, match="annulée"):
        services.meeting_mark_held(meeting=future)


def test_meeting_day_is_fixed_once_attendance_is_recorded(meeting, members):
    services.attendance_record(meeting=meeting, entries=sheet(members, present=range(9)))
    services.meeting_update(meeting=meeting, data={"held_at": paris(2021, 3, 23, 9, 0)})
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_update(meeting=meeting, data={"held_at": paris(2021, 3, 24, 9, 0)})
    assert "held_at" in excinfo.value.error_dict


def test_convocation_cannot_follow_the_meeting(board):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(
            body=board, held_at=paris(2021, 3, 23, 18), convocation_sent_on=date(2021, 3, 24)
        )
    assert "convocation_sent_on" in excinfo.value.error_dict


def test_union_must_be_of_the_region(board):
    paris_union = Union.objects.filter(region_id="11").first()
    with pytest.raises(ValidationError) as excinfo:
        services.body_member_create(
            body=board, full_name="X", union=paris_union, start_date=date(2021, 1, 1)
        )
    assert "union" in excinfo.value.error_dict


def test_quorum_fraction_cannot_exceed_one(federation):
    with pytest.raises(ValidationError):
        services.body_create(
            federation=federation,
            kind=Body.Kind.BUREAU,
            name="Bureau",
            quorum_numerator=3,
            quorum_denominator=2,
        )


def test_lent_staff_name_their_union(federation, unions):
    with pytest.raises(ValidationError) as excinfo:
        services.staff_member_create(
            federation=federation,
            full_name="Y",
            job_title="Suivi financier",
            employer_kind=StaffMember.EmployerKind.UNION,
            start_date=date(2021, 1, 1),
        )
    assert "lent_by" in excinfo.value.error_dict
    other_region = Union.objects.filter(region_id="11").first()
    with pytest.raises(ValidationError):
        services.staff_member_create(
            federation=federation,
            full_name="Y",
            job_title="Suivi financier",
            employer_kind=StaffMember.EmployerKind.UNION,
            lent_by=other_region,
            start_date=date(2021, 1, 1),
        )
    staff = services.staff_member_create(
        federation=federation,
        full_name="Y",
        job_title="Suivi financier",
        employer_kind=StaffMember.EmployerKind.UNION,
        lent_by=unions[3],
        start_date=date(2021, 1, 1),
        working_time_percent=50,
    )
    assert staff.is_current
    assert list(selectors.current_staff(federation)) == [staff]
