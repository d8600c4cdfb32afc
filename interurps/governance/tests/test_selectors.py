import pytest

from interurps.governance import selectors, services
from interurps.governance.models import Body

from .conftest import paris, sheet

pytestmark = pytest.mark.django_db


def held(body, members, when):
    meeting = services.meeting_create(body=body, held_at=when)
    services.attendance_record(meeting=meeting, entries=sheet(members, present=range(8)))
    return services.meeting_mark_held(meeting=meeting)


def test_counts_per_year_come_from_held_meetings(board, members, make_body):
    for month in (1, 2, 3):
        held(board, members, paris(2021, month, 12, 18, 30))
    services.meeting_create(body=board, held_at=paris(2021, 4, 12, 18))  # only convened
    cancelled = services.meeting_create(body=board, held_at=paris(2021, 5, 12, 18))
    services.meeting_cancel(meeting=cancelled)
    # 00:30 in Paris on 1 January 2022 is still 2021 in UTC: the local year counts.
    held(board, members, paris(2022, 1, 1, 0, 30))
    assembly = make_body(size=10, name="Assemblée générale", kind=Body.Kind.GENERAL_ASSEMBLY)
    held(assembly, list(assembly.members.all()), paris(2021, 3, 9, 18))

    counts = selectors.held_meeting_counts(board.federation)
    assert [(c.body.name, c.year, c.count, c.label) for c in counts] == [
        ("Conseil d'administration", 2022, 1, "1 conseil d'administration en 2022"),
        ("Conseil d'administration", 2021, 3, "3 conseils d'administration en 2021"),
        ("Assemblée générale", 2021, 1, "1 assemblée générale en 2021"),
    ]
    assert selectors.held_meeting_count(board, 2021) == 3


def test_co_presidents_are_listed_once(board, members, make_body):
    services.body_member_update(member=members[0], data={"office": "co_president"})
    bureau = make_body(size=0, name="Bureau", kind=Body.Kind.BUREAU)
    services.body_member_create(
        body=bureau,
        full_name=members[0].full_name,
        office="co_president",
        start_date=members[0].start_date,
    )
    assert [m.full_name for m in selectors.co_presidents(board.federation)] == ["Membre 01"]
