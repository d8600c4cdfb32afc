"""Who may see and change training programmes, cohorts, learners and relay trainers.

Built on the region-scoped predicates of `interurps.accounts.perms`: a role held in one
region grants nothing in another; superusers pass every check.
"""

from interurps.accounts import perms
from interurps.accounts.models import Role


def can_view_training(user, federation) -> bool:
    """Every role holder of the federation's region reads programmes, cohorts and sessions.

    Programmes, modules, session dates and relay trainers are shared with the region's
    participants (partners such as the ARS, which funds PACTE, read them).
    """
    return perms.can_view_region_workspace(user, federation.region_id)


def can_view_all_learners(user, federation) -> bool:
    """Role holders of the region, except those who are only CPTS coordinators there.

    A coordinator is a learner among peers: the attendance and completion of the other
    coordinators are not theirs to see. They see their own record (`can_view_learner`).
    """
    if not can_view_training(user, federation):
        return False
    if user.is_superuser:
        return True
    return bool(perms.roles_in_region(user, federation.region_id) - {Role.CPTS_COORDINATOR})


def can_view_learner(user, learner) -> bool:
    """Readers of every learner; and the learner themself (linked account) or a
    coordinator of the learner's CPTS in the same region."""
    federation = learner.cohort.programme.federation
    if can_view_all_learners(user, federation):
        return True
    if not can_view_training(user, federation):
        return False
    if learner.user_id and learner.user_id == user.pk:
        return True
    return learner.cpts_id is not None and perms.coordinates_cpts(user, learner.cpts)


def can_manage_training(user, federation) -> bool:
    """Federation staff (chargé·es de mission) and admins of the region.

    They create programmes, modules, cohorts and sessions, enrol learners, record
    attendance and keep the relay trainers' paths.
    """
    return perms.is_federation_staff(user, federation.region_id)
