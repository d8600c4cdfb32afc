"""Who reads the SAS indicators and an effector's monthly statement.

- Indicators (aggregates only: hours, counts, shares, per week, department, CPTS and
  commune; never a patient, a care request or an appointment): the roles that read
  `Kind.SAS_INDICATORS` in the region — federation admins and staff, elected members, CPTS
  coordinators, partners (ARS, Assurance Maladie), SAS regulators.
- Effectors' names (the per-effector table and its export) only to those who read the
  effectors themselves (`Kind.SAS_EFFECTOR` without "own"): federation admins and staff,
  SAS regulators. Elected members, coordinators and partners see how many effectors reach
  each band of weekly hours, not who.
- An effector's monthly statement (`Kind.SAS_EFFECTOR`, own records): the effector
  themself (the health professional whose role names the effector's professional), the
  coordinator of the CPTS the effector takes part through (or that is the effector), and
  those who read every effector: federation admins and staff, SAS regulators.
"""

from django.db.models import Q

from interurps.accounts.models import Role
from interurps.accounts.perms import can_read
from interurps.accounts.policy import Kind


def can_view_indicators(user, region) -> bool:
    return can_read(user, Kind.SAS_INDICATORS, region)


def can_view_effector_names(user, region) -> bool:
    return can_read(user, Kind.SAS_EFFECTOR, region)


def is_own_effector(user, effector) -> bool:
    """The effector is the user's: their professional record, or their CPTS's member or
    structure (for a coordinator), in the effector's region."""
    if not user.is_authenticated:
        return False
    cpts_ids = {
        effector.through.cpts_id if effector.through_id else None,
        effector.structure.cpts_id if effector.structure_id else None,
    } - {None}
    mine = Q(role=Role.CPTS_COORDINATOR, cpts_id__in=cpts_ids)
    if effector.professional_id:
        mine |= Q(role=Role.HEALTH_PROFESSIONAL, professional_id=effector.professional_id)
    return user.role_assignments.filter(mine, region_id=effector.region_id).exists()


def can_view_statement(user, effector) -> bool:
    return can_read(
        user, Kind.SAS_EFFECTOR, effector.region_id, own=is_own_effector(user, effector)
    )
