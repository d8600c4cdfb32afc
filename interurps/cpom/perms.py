"""Who may see and edit the federation's CPOM follow-up and funding (policy kinds `cpom`
and `funding`)."""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_cpom(user, federation) -> bool:
    """The federation, the unions' elected members and the partners read the CPOM and its
    indicators: the ARS partner who signed it follows it read-only. Health professionals,
    SAS regulators and CPTS coordinators do not."""
    return perms.can_read(user, Kind.CPOM, federation.region_id)


def can_view_funding(user, federation) -> bool:
    """Funding lines and spending: the same readers as the CPOM (the ARS funds it); never
    health professionals, SAS regulators or CPTS coordinators."""
    return perms.can_read(user, Kind.FUNDING, federation.region_id)


def can_edit_cpom(user, federation) -> bool:
    """Federation staff and admins of the region write: contracts, amendments, themes,
    objectives, actions, indicators, targets, measurements.
    Partners never write, even on the contract they signed."""
    return perms.can_write(user, Kind.CPOM, federation.region_id)


def can_edit_funding(user, federation) -> bool:
    """Federation staff and admins of the region write funding lines and spending."""
    return perms.can_write(user, Kind.FUNDING, federation.region_id)
