"""Who may see and change SAS effectors, their participation and their slots (policy
kinds `sas_effector` and `sas_slot`).

- Federation staff and admins of the region (the SAS officer) read and write every
  effector, participation and slot of the region.
- A health professional reads and writes only their own effector record and slots (the
  effector whose professional is their role's registry record).
- A CPTS coordinator reads the participation and slots of the effectors that take part
  through their CPTS (its members) and writes the CPTS's SNP rota: the slots whose
  `rota_cpts` is their CPTS. A slot they add for a member is a rota slot.
- A member of a CPTS reads its rota and may put themselves on it.
- SAS regulators read (the regulation works from these slots), never write.
- Partners and elected members see nothing here (aggregates only, in the indicators).
A role held in one region grants nothing in another; superusers pass every check.
"""

from interurps.accounts import perms
from interurps.accounts.models import Role
from interurps.accounts.policy import Kind


def _assignments(user):
    # The accounts app caches the user's role assignments on the user object.
    return perms._assignments(user)


def professional_ids(user) -> set[int]:
    """The registry records the user practises as (their health professional roles)."""
    return {
        a.professional_id
        for a in _assignments(user)
        if a.role == Role.HEALTH_PROFESSIONAL and a.professional_id
    }


def coordinated_cpts_ids(user) -> set[int]:
    return {a.cpts_id for a in _assignments(user) if a.role == Role.CPTS_COORDINATOR and a.cpts_id}


def is_the_effector(user, effector) -> bool:
    return effector.professional_id is not None and effector.professional_id in professional_ids(
        user
    )


def _member_cpts_id(effector):
    through = effector.through
    return through.cpts_id if through is not None else None


def coordinates_effector(user, effector) -> bool:
    """The effector takes part through a CPTS the user coordinates."""
    cpts_id = _member_cpts_id(effector)
    return cpts_id is not None and cpts_id in coordinated_cpts_ids(user)


def owns_effector(user, effector) -> bool:
    return is_the_effector(user, effector) or coordinates_effector(user, effector)


def owns_slot(user, slot) -> bool:
    """An effector's own slot, or a slot of the rota of a CPTS the user coordinates."""
    if is_the_effector(user, slot.effector):
        return True
    return slot.rota_cpts_id is not None and slot.rota_cpts_id in coordinated_cpts_ids(user)


# --- effectors and participation -------------------------------------------------------


def can_view_participation(user, region) -> bool:
    """The SAS officer's table of the region's participation: federation staff and
    admins, and regulators (read)."""
    return perms.can_read(user, Kind.SAS_EFFECTOR, region)


def can_enrol_effectors(user, region) -> bool:
    """Enrolment, suspension and resumption: federation staff and admins."""
    return perms.can_write(user, Kind.SAS_EFFECTOR, region)


def can_view_effector(user, effector) -> bool:
    return perms.can_read(
        user, Kind.SAS_EFFECTOR, effector.region_id, own=owns_effector(user, effector)
    )


def can_edit_participation(user, effector) -> bool:
    """The participation (mode, sworn statement, extra patients) and sites: federation
    staff, the effector themself, the coordinator of the CPTS it goes through."""
    return perms.can_write(
        user, Kind.SAS_EFFECTOR, effector.region_id, own=owns_effector(user, effector)
    )


# --- slots ---------------------------------------------------------------------------------


def can_view_slots(user, effector) -> bool:
    """An effector's week: federation staff, regulators, the effector, their CPTS's
    coordinator."""
    return perms.can_read(
        user, Kind.SAS_SLOT, effector.region_id, own=owns_effector(user, effector)
    )


def sees_unshared_slots(user, effector) -> bool:
    """Slots the effector did not share stay between them, their CPTS's coordinator and
    the federation's staff: a regulator reading a week sees only the shared ones."""
    return owns_effector(user, effector) or perms.can_write(user, Kind.SAS_SLOT, effector.region_id)


def can_add_slots(user, effector) -> bool:
    """Federation staff, the effector; their CPTS's coordinator (as rota slots)."""
    return perms.can_write(
        user, Kind.SAS_SLOT, effector.region_id, own=owns_effector(user, effector)
    )


def adds_as_rota(user, effector):
    """The CPTS whose rota a slot added by `user` for `effector` joins: a coordinator who
    is neither the effector nor federation staff adds rota slots of their CPTS."""
    if is_the_effector(user, effector) or perms.can_write(user, Kind.SAS_SLOT, effector.region_id):
        return None
    if coordinates_effector(user, effector):
        return effector.through.cpts
    return None


def can_edit_slot(user, slot) -> bool:
    """Cancel a slot, change its sharing: federation staff, the effector, the CPTS's
    coordinator for its rota slots."""
    return perms.can_write(user, Kind.SAS_SLOT, slot.effector.region_id, own=owns_slot(user, slot))


# --- the CPTS's SNP rota ----------------------------------------------------------------


def is_member_of(user, cpts) -> bool:
    from interurps.sas.models import Effector

    ids = professional_ids(user)
    return (
        bool(ids) and Effector.objects.filter(professional_id__in=ids, through__cpts=cpts).exists()
    )


def owns_rota(user, cpts) -> bool:
    return cpts.pk in coordinated_cpts_ids(user) or is_member_of(user, cpts)


def can_view_rota(user, cpts) -> bool:
    return perms.can_read(user, Kind.SAS_SLOT, cpts.region_id, own=owns_rota(user, cpts))


def sees_unshared_rota(user, cpts) -> bool:
    return owns_rota(user, cpts) or perms.can_write(user, Kind.SAS_SLOT, cpts.region_id)


def can_edit_rota(user, cpts) -> bool:
    """Federation staff and the CPTS's coordinator for every member; a member only puts
    themself on the rota (the form offers only them)."""
    return perms.can_write(user, Kind.SAS_SLOT, cpts.region_id, own=owns_rota(user, cpts))


def rota_members_for(user, cpts, members):
    """The members `user` may put on the rota."""
    if perms.can_write(user, Kind.SAS_SLOT, cpts.region_id) or cpts.pk in coordinated_cpts_ids(
        user
    ):
        return members
    ids = professional_ids(user)
    return [m for m in members if m.professional_id in ids]
