"""Who may see and edit the federation's CPOM follow-up and funding."""

from interurps.accounts import perms


def can_view_cpom(user, federation) -> bool:
    """Every role holder of the federation's region reads the CPOM, its indicators and the
    funding: the ARS partner who signed it follows it read-only, like the unions' elected
    members."""
    return perms.can_view_region_workspace(user, federation.region_id)


def can_edit_cpom(user, federation) -> bool:
    """Federation staff and admins of the region write: contracts, amendments, themes,
    objectives, actions, indicators, targets, measurements, funding lines and spendings.
    Partners never write, even on the contract they signed."""
    return perms.is_federation_staff(user, federation.region_id)
