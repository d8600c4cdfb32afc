"""Who may build, send and read surveys (policy kinds `survey` and `survey_results`).

A role held in one region grants nothing in another; superusers pass every check.
Respondents need no account: they reach only their own form, through their invitation's
or their response's unguessable token, or the survey's public link.
"""

from interurps.accounts import perms
from interurps.accounts.models import Role
from interurps.accounts.policy import Kind


def can_manage_surveys(user, federation) -> bool:
    """Federation staff and admins of the region build questionnaires, choose and import
    the people invited, send invitations and reminders, and analyse the answers."""
    return perms.can_write(user, Kind.SURVEY, federation.region_id)


def is_shared_with(user, survey) -> bool:
    """The survey's results were shared with the user: they hold, in the survey's
    region, a partner role of a partner the survey names, or an elected member's role
    when the survey is shared with the unions' elected members."""
    if not user.is_authenticated:
        return False
    region = survey.federation.region_id
    assignments = [a for a in perms._assignments(user) if a.region_id == region]
    if survey.shared_with_union_members and any(a.role == Role.UNION_MEMBER for a in assignments):
        return True
    partner_ids = {a.partner_id for a in assignments if a.role == Role.PARTNER and a.partner_id}
    if not partner_ids:
        return False
    return survey.shared_with_partners.filter(pk__in=partner_ids).exists()


def can_view_results(user, survey) -> bool:
    """Federation staff and admins read every survey's results; partners and elected
    members of the region read the results the federation shared with them (their
    partner organisation named on the survey, or the elected members as a whole); CPTS
    coordinators, health professionals and SAS regulators never read results."""
    federation = survey.federation
    if perms.can_read(user, Kind.SURVEY_RESULTS, federation.region_id):
        return True
    return perms.can_read(
        user, Kind.SURVEY_RESULTS, federation.region_id, own=is_shared_with(user, survey)
    )


def can_view_survey_list(user, federation) -> bool:
    """The list of the federation's surveys: staff see them all, partners and elected
    members the ones shared with them (possibly none)."""
    return perms.can_read(user, Kind.SURVEY_RESULTS, federation.region_id, own=True)
