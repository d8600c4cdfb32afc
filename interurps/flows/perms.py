"""Who may read and who may write patient flows and territory proposals (policy kind
`flows`)."""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_flows(user, region) -> bool:
    """The federation, the unions' elected members and the partners (ARS, Assurance
    Maladie, who often provide the flows) read flow sets, poles and proposals. CPTS
    coordinators, health professionals and SAS regulators do not: flows may come from
    the Assurance Maladie under an agreement with the federation."""
    return perms.can_read(user, Kind.FLOWS, region)


def can_edit_flows(user, region) -> bool:
    """Federation staff and admins of the region import or generate flows, compute
    proposals and adopt a proposed territory as a new CPTS (which also needs the right to
    create CPTS, held by the same roles)."""
    return perms.can_write(user, Kind.FLOWS, region)


def can_adopt(user, region) -> bool:
    return can_edit_flows(user, region) and perms.can_write(user, Kind.CPTS, region)
