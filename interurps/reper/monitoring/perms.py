"""Who may open the REPER work queues and indicators, and entrust work (policy table:
Kind.REPER_PERSON, Kind.REPER_INDICATORS, Kind.REPER_EXPORT)."""

from interurps.accounts import perms
from interurps.accounts.policy import Kind
from interurps.reper.monitoring import scopes


def can_view_queue(user, region) -> bool:
    """A health professional (with their registry record) or a CPTS coordinator (with
    their CPTS) of the region, on their own people only (`scopes.people_visible_to`)."""
    return perms.can_read(
        user, Kind.REPER_PERSON, region, own=scopes.has_people_scope(user, region)
    )


def can_view_cpts_backlog(user, cpts) -> bool:
    """The CPTS's backlog at a glance is its coordinator's (a professional follows people
    but does not dispatch the CPTS's work: their own queue is `can_view_queue`)."""
    return perms.can_read(
        user, Kind.REPER_PERSON, cpts.region_id, own=perms.coordinates_cpts(user, cpts)
    )


def can_assign_assessment(user, assessment) -> bool:
    """Only the coordinator of the person's CPTS entrusts a step-2 assessment to one of
    the CPTS's professionals; professionals cannot, whoever they follow."""
    cpts = assessment.person.cpts
    return perms.can_write(
        user, Kind.REPER_PERSON, cpts.region_id, own=perms.coordinates_cpts(user, cpts)
    )


def can_view_indicators(user, region) -> bool:
    """Aggregates: federation, elected members, coordinators, partners, professionals of
    the region; not SAS regulators."""
    return perms.can_read(user, Kind.REPER_INDICATORS, region)


def can_export_evaluation(user, region) -> bool:
    """The pseudonymised evaluation export: federation staff and partners."""
    return perms.can_read(user, Kind.REPER_EXPORT, region)
