"""Who may see and change the federation's bodies, staff and meetings.

Built on the region-scoped predicates of `interurps.accounts.perms`: a role held in one
region grants nothing in another; superusers pass every check.
"""

from interurps.accounts import perms


def can_view_governance(user, federation) -> bool:
    """Every role holder of the federation's region (partners and elected members read).

    Bodies, mandates, staff, meetings, attendance, decisions and minutes are the
    association's public life towards its members and partners.
    """
    return perms.can_view_region_workspace(user, federation.region_id)


def can_manage_bodies(user, federation) -> bool:
    """Federation admins of the region: they create bodies, record mandates and staff.

    Composition and offices follow the statutes and the unions' designations; only the
    federation's administration records them.
    """
    return perms.is_federation_admin(user, federation.region_id)


def can_manage_staff(user, federation) -> bool:
    """Federation admins of the region: staff records include employment details."""
    return perms.is_federation_admin(user, federation.region_id)


def can_manage_meetings(user, federation) -> bool:
    """Federation staff (chargé·es de mission) and admins of the region.

    They convene meetings, record attendance and proxies, decisions and votes, and
    declare a meeting held or cancelled.
    """
    return perms.is_federation_staff(user, federation.region_id)
