"""Who may read and write a person's REPER record (policy kind `reper_person`).

The rule (issue 14, « La personne et ses données »): a person's record — identity,
screenings, assessments, care plans — is read and written only by

- the health professionals who follow that person (an open `FollowUp` naming the registry
  record of their role, `RoleAssignment.professional`), and
- the coordinators of the person's CPTS;

never by the federation's staff, elected members, partners or SAS regulators, who see
aggregates only (`reper.monitoring`). A role held in one region grants nothing in another.
Superusers (the technical operators) pass every check but are not shown the identity:
it is shown only to the people above (`can_see_identity`).
"""

from interurps.accounts import perms
from interurps.accounts.models import Role
from interurps.accounts.policy import Kind


def professional_ids(user, region) -> set[int]:
    """The registry records named by the user's health professional roles in `region`."""
    code = perms._region_code(region)
    return {
        a.professional_id
        for a in perms._assignments(user)
        if a.role == Role.HEALTH_PROFESSIONAL and a.region_id == code and a.professional_id
    }


def coordinated_cpts_ids(user, region) -> set[int]:
    """The CPTS the user coordinates in `region`."""
    code = perms._region_code(region)
    return {
        a.cpts_id
        for a in perms._assignments(user)
        if a.role == Role.CPTS_COORDINATOR and a.region_id == code and a.cpts_id
    }


def follows(user, person) -> bool:
    """The user is a health professional who follows the person now."""
    ids = professional_ids(user, person.cpts.region_id)
    if not ids:
        return False
    cache = person.__dict__.setdefault("_follower_ids_cache", None)
    if cache is None:
        cache = set(
            person.follow_ups.filter(until__isnull=True).values_list("professional_id", flat=True)
        )
        person.__dict__["_follower_ids_cache"] = cache
    return bool(ids & cache)


def coordinates_person(user, person) -> bool:
    """The user coordinates the person's CPTS."""
    return person.cpts_id in coordinated_cpts_ids(user, person.cpts.region_id)


def is_own(user, person) -> bool:
    return follows(user, person) or coordinates_person(user, person)


def can_view_person(user, person) -> bool:
    """The professionals who follow the person and their CPTS's coordinators (and
    superusers)."""
    return perms.can_read(user, Kind.REPER_PERSON, person.cpts.region_id, own=is_own(user, person))


def can_edit_person(user, person) -> bool:
    """Same people as `can_view_person`: they screen, assess, plan and follow up."""
    return perms.can_write(user, Kind.REPER_PERSON, person.cpts.region_id, own=is_own(user, person))


def can_see_identity(user, person) -> bool:
    """Names, date of birth, contact and treating physician: only the professionals who
    follow the person and their CPTS's coordinators — not superusers without such a role."""
    return is_own(user, person) and can_view_person(user, person)


def practises_in(user, cpts) -> bool:
    """The user is a health professional with a practice site in the CPTS's territory."""
    from interurps.professionals.models import PracticeSite

    ids = professional_ids(user, cpts.region_id)
    return (
        bool(ids)
        and PracticeSite.objects.filter(professional_id__in=ids, commune__cpts=cpts).exists()
    )


def can_add_person(user, cpts) -> bool:
    """The health professionals practising in the CPTS's territory (they then follow the
    person) and the CPTS's coordinators (who name the professional who follows)."""
    own = cpts.pk in coordinated_cpts_ids(user, cpts.region_id) or practises_in(user, cpts)
    return perms.can_write(user, Kind.REPER_PERSON, cpts.region_id, own=own)


def can_use_reper(user, region) -> bool:
    """The list of one's own people: health professionals and CPTS coordinators of the
    region (each sees only their own), and superusers."""
    return perms.can_read(user, Kind.REPER_PERSON, region, own=True)
