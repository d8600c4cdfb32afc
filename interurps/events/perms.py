"""Who may see and manage the federation's events and their registrations (policy kinds
`event` and `registration`).

A role held in one region grants nothing in another; superusers pass every check.
Anonymous visitors only reach the public registration page, through the event's
unguessable link.
"""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_events(user, federation) -> bool:
    """Every role holder of the federation's region (partners and elected members read).

    They see the events, their programme, speakers and the number of places taken,
    not the list of registrants.
    """
    return perms.can_read(user, Kind.EVENT, federation.region_id)


def can_manage_events(user, federation) -> bool:
    """Federation staff (chargé·es de mission) and admins of the region.

    They create and edit events, their programme and speakers, and declare an event
    held or cancelled.
    """
    return perms.can_write(user, Kind.EVENT, federation.region_id)


def can_manage_registrations(user, federation) -> bool:
    """Federation staff and admins of the region.

    Registrants' names and e-mail addresses are personal data collected for the
    organisation of the event: only the federation's staff see them, record attendance,
    export the list and write to the registrants.
    """
    return perms.can_write(user, Kind.REGISTRATION, federation.region_id)


def can_download_certificate(user, registration) -> bool:
    """Federation staff of the event's region, and the registrant's own account."""
    if not (user.is_authenticated and user.is_active):
        return False
    if registration.user_id is not None and registration.user_id == user.pk:
        return True
    return can_manage_registrations(user, registration.event.federation)
