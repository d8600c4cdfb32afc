"""Who may see and record the federation's meetings."""

from interurps.accounts import perms


def can_view_activity(user, federation) -> bool:
    """Every role holder of the federation's region reads meetings, counts and calendars."""
    return perms.can_view_region_workspace(user, federation.region_id)


def can_record_meetings(user, federation) -> bool:
    """Federation staff and admins record, import and edit meetings."""
    return perms.is_federation_staff(user, federation.region_id)


def can_edit_meeting_kinds(user, federation) -> bool:
    """The list of meeting kinds is the federation admins' to edit."""
    return perms.is_federation_admin(user, federation.region_id)
