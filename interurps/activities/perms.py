"""Who may see and record the federation's meetings (policy kinds `meeting`,
`meeting_kind`, `activity_counts`)."""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_activity(user, federation) -> bool:
    """The federation's meetings, their minutes and attachments, and the calendar that
    merges them: internal records, read by the federation's staff and the unions' elected
    members of the region; not by partners, coordinators, professionals or regulators."""
    return perms.can_read(user, Kind.MEETING, federation.region_id)


def can_view_meeting_kinds(user, federation) -> bool:
    return perms.can_read(user, Kind.MEETING_KIND, federation.region_id)


def can_view_counts(user, federation) -> bool:
    """Meeting counts by kind, project, month: shared with partners (they are in the
    annual report)."""
    return perms.can_read(user, Kind.ACTIVITY_COUNTS, federation.region_id)


def can_record_meetings(user, federation) -> bool:
    """Federation staff and admins record, import and edit meetings."""
    return perms.can_write(user, Kind.MEETING, federation.region_id)


def can_edit_meeting_kinds(user, federation) -> bool:
    """The list of meeting kinds is the federation admins' to edit."""
    return perms.can_write(user, Kind.MEETING_KIND, federation.region_id)


def can_renew_federation_feed(user, federation) -> bool:
    """Renewing the federation's feed address cuts off every subscriber: it belongs to
    those who edit the federation's settings (its admins)."""
    return perms.can_write(user, Kind.FEDERATION, federation.region_id)
