"""Who may see and change the federation's bodies, staff and meetings.

The rules are rows of the policy table (`interurps.accounts.policy`): bodies and their
composition are shared with every role of the region; the bodies' meetings, decisions and
minutes (PV) and the staff are the association's internal records, read by its own people
(federation staff, elected members of the unions), never by health professionals, SAS
regulators, CPTS coordinators or partners. Superusers pass every check.
"""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_governance(user, federation) -> bool:
    """Every role holder of the federation's region reads the bodies and who sits on them."""
    return perms.can_read(user, Kind.GOVERNANCE_BODY, federation.region_id)


def can_view_meetings(user, federation) -> bool:
    """The bodies' meetings, attendance, decisions and minutes: federation staff and the
    unions' elected members of the region."""
    return perms.can_read(user, Kind.GOVERNANCE_MEETING, federation.region_id)


def can_view_staff(user, federation) -> bool:
    """The staff list (employment details): federation staff and elected members."""
    return perms.can_read(user, Kind.STAFF, federation.region_id)


def can_manage_bodies(user, federation) -> bool:
    """Federation admins of the region: they create bodies, record mandates and staff.

    Composition and offices follow the statutes and the unions' designations; only the
    federation's administration records them.
    """
    return perms.can_write(user, Kind.GOVERNANCE_BODY, federation.region_id)


def can_manage_staff(user, federation) -> bool:
    """Federation admins of the region: staff records include employment details."""
    return perms.can_write(user, Kind.STAFF, federation.region_id)


def can_manage_meetings(user, federation) -> bool:
    """Federation staff (chargé·es de mission) and admins of the region.

    They convene meetings, record attendance and proxies, decisions and votes, and
    declare a meeting held or cancelled.
    """
    return perms.can_write(user, Kind.GOVERNANCE_MEETING, federation.region_id)
