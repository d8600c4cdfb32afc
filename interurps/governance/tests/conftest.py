from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from interurps.governance import services
from interurps.governance.models import Attendance, Body
from interurps.organizations.models import Federation, Union

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def federation(db):
    return Federation.objects.select_related("region").get(region_id="52")


@pytest.fixture
def unions(federation):
    return list(
        Union.objects.filter(region=federation.region).order_by("profession__display_order")
    )


@pytest.fixture
def make_body(federation, unions):
    def make(size=14, name="Conseil d'administration", kind=Body.Kind.BOARD, **fields):
        body = services.body_create(federation=federation, kind=kind, name=name, **fields)
        for i in range(size):
            services.body_member_create(
                body=body,
                full_name=f"Membre {i + 1:02d}",
                union=unions[i % len(unions)],
                start_date=date(2020, 1, 1),
            )
        return body

    return make


@pytest.fixture
def board(make_body):
    return make_body()


@pytest.fixture
def members(board):
    return list(board.members.order_by("full_name"))


@pytest.fixture
def meeting(board):
    return services.meeting_create(body=board, held_at=paris(2021, 3, 23, 18, 30))


def sheet(members, present=(), represented=None, excused=()):
    """Attendance entries: `present` and `excused` are indexes; `represented` maps an
    index to its proxy holder's index; everyone else is absent."""
    represented = represented or {}
    entries = []
    for i, member in enumerate(members):
        if i in present:
            entries.append(services.AttendanceEntry(member, Attendance.Status.PRESENT))
        elif i in represented:
            entries.append(
                services.AttendanceEntry(
                    member, Attendance.Status.REPRESENTED, members[represented[i]]
                )
            )
        elif i in excused:
            entries.append(services.AttendanceEntry(member, Attendance.Status.EXCUSED))
        else:
            entries.append(services.AttendanceEntry(member, Attendance.Status.ABSENT))
    return entries
