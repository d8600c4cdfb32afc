"""Who may see and change training programmes, cohorts, learners and relay trainers
(policy kinds `training` and `learner`).

A role held in one region grants nothing in another; superusers pass every check.
"""

from interurps.accounts import perms
from interurps.accounts.policy import Kind


def can_view_training(user, federation) -> bool:
    """Every role holder of the federation's region reads programmes, cohorts and sessions.

    Programmes, modules, session dates and relay trainers are shared with the region's
    participants (partners such as the ARS, which funds PACTE, read them).
    """
    return perms.can_read(user, Kind.TRAINING, federation.region_id)


def can_view_all_learners(user, federation) -> bool:
    """The federation's staff, the unions' elected members and the partners (the ARS funds
    PACTE and follows completion) read every learner's record.

    A coordinator is a learner among peers: the attendance and completion of the other
    coordinators are not theirs to see; health professionals and SAS regulators do not
    read learners' names and e-mails. They see their own records (`can_view_learner`).
    """
    return perms.can_read(user, Kind.LEARNER, federation.region_id)


def is_own_learner(user, learner) -> bool:
    """The learner's linked account, or a coordinator of the learner's CPTS."""
    if learner.user_id and learner.user_id == user.pk:
        return True
    return learner.cpts_id is not None and perms.coordinates_cpts(user, learner.cpts)


def can_view_learner(user, learner) -> bool:
    """Readers of every learner; and, among the readers of the training, the learner
    themself (linked account) or a coordinator of the learner's CPTS."""
    federation = learner.cohort.programme.federation
    if can_view_all_learners(user, federation):
        return True
    if not can_view_training(user, federation):
        return False
    if learner.user_id and learner.user_id == user.pk:
        return True
    return perms.can_read(
        user, Kind.LEARNER, federation.region_id, own=is_own_learner(user, learner)
    )


def can_manage_training(user, federation) -> bool:
    """Federation staff (chargé·es de mission) and admins of the region.

    They create programmes, modules, cohorts and sessions, enrol learners, record
    attendance and keep the relay trainers' paths.
    """
    return perms.can_write(user, Kind.TRAINING, federation.region_id)


def can_manage_learners(user, federation) -> bool:
    """Federation staff and admins enrol learners and record their attendance."""
    return perms.can_write(user, Kind.LEARNER, federation.region_id)
