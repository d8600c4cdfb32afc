"""Which people of the REPER programme a user may see, as querysets (selectors).

The rule, stated once (policy: Kind.REPER_PERSON is « les siennes » for health
professionals and CPTS coordinators, nothing for anyone else):

- a health professional (their role names their registry record,
  `RoleAssignment.professional`) sees the people they follow: an open `FollowUp`
  (`until` is null);
- a CPTS coordinator (`RoleAssignment.cpts`) sees the people of their CPTS;
- a role grants nothing outside its region: the person's CPTS must be in the role's region;
- superusers (technical operators) see everyone of the region.

The work queues (`selectors`) only ever start from these scopes. The person pages of the
records helper apply the same rule (`interurps/reper/perms.py`); the two are meant to be
reconciled into one.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from interurps.accounts import perms
from interurps.reper import perms as reper_perms
from interurps.reper.models import FollowUp, Person


def open_follow_ups(professional_ids) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(professional_id__in=professional_ids, until__isnull=True)


def people_followed_by(professional) -> QuerySet[Person]:
    """People the professional follows now (an open follow-up)."""
    pk = getattr(professional, "pk", professional)
    return Person.objects.filter(Exists(open_follow_ups([pk]).filter(person_id=OuterRef("pk"))))


def people_of_cpts(cpts) -> QuerySet[Person]:
    """People of the CPTS (its coordinator's scope)."""
    return Person.objects.filter(cpts_id=getattr(cpts, "pk", cpts))


# Who the user is in REPER: the rules of `interurps.reper.perms`, shared with the records.
professional_ids_of = reper_perms.professional_ids
coordinated_cpts_ids = reper_perms.coordinated_cpts_ids


def people_visible_to(user, region) -> QuerySet[Person]:
    """Every person of `region` the user may see (see the module docstring)."""
    code = perms._region_code(region)
    in_region = Person.objects.filter(cpts__region_id=code)
    if not (user.is_authenticated and user.is_active):
        return Person.objects.none()
    if user.is_superuser:
        return in_region
    professionals = professional_ids_of(user, code)
    cpts_ids = coordinated_cpts_ids(user, code)
    if not professionals and not cpts_ids:
        return Person.objects.none()
    condition = Q(cpts_id__in=cpts_ids) if cpts_ids else Q(pk__in=[])
    if professionals:
        condition |= Q(Exists(open_follow_ups(professionals).filter(person_id=OuterRef("pk"))))
    return in_region.filter(condition)


def has_people_scope(user, region) -> bool:
    """Does the user hold a role that gives a scope of people in `region` (a professional
    with a registry record, a coordinator with a CPTS), or are they a superuser?"""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(
        professional_ids_of(user, region) or coordinated_cpts_ids(user, region)
    )
