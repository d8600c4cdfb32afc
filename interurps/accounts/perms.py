"""Who may see and do what. Every view asks these predicates; none decides on its own.

The rules themselves are one table, `interurps.accounts.policy.POLICY` (kind of record ×
role → access); the predicates here and in each app's `perms.py` ask it through
`can_read` / `can_write`, adding only what a table cannot say (whose record it is).

Rules are scoped to a region: a role held in one region grants nothing in another.
Superusers (the technical operators of a deployment) pass every check.
"""

from interurps.accounts import policy
from interurps.accounts.models import Role, RoleAssignment
from interurps.accounts.policy import Access, Kind

FEDERATION_ROLES = {Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF}


def _assignments(user) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_role_assignments_cache", None)
    if cached is None:
        # One query per request for every permission and for the spaces of the menu; the
        # outlines of the region and the CPTS are never needed there.
        cached = list(
            user.role_assignments.select_related("region", "union", "partner", "cpts").defer(
                "region__geometry", "cpts__geometry"
            )
        )
        user._role_assignments_cache = cached
    return cached


def _region_code(region) -> str:
    return region if isinstance(region, str) else getattr(region, "pk", region)


def roles_in_region(user, region) -> set[str]:
    code = _region_code(region)
    return {a.role for a in _assignments(user) if a.region_id == code}


def regions_of(user) -> list:
    """Regions where the user holds at least one role, in a stable order."""
    seen = {}
    for assignment in _assignments(user):
        seen.setdefault(assignment.region_id, assignment.region)
    return sorted(seen.values(), key=lambda region: region.name)


def access(user, kind: Kind, region) -> Access:
    """What the user's roles in `region` give on `kind` (the policy table); superusers
    write everything, and reference data is open to every signed-in account."""
    if not (user.is_authenticated and user.is_active):
        return Access.NONE
    if user.is_superuser:
        return Access.WRITE
    if kind in policy.SIGNED_IN_KINDS:
        return max(Access.READ, policy.access_of(roles_in_region(user, region), kind))
    if region is None:
        return Access.NONE
    return policy.access_of(roles_in_region(user, region), kind)


def can_read(user, kind: Kind, region, *, own: bool = False) -> bool:
    """May the user read records of `kind` in `region`? `own`: the record is theirs."""
    return policy.allows_read(access(user, kind, region), own=own)


def can_write(user, kind: Kind, region, *, own: bool = False) -> bool:
    """May the user create or change records of `kind` in `region`?"""
    return policy.allows_write(access(user, kind, region), own=own)


def can_read_in_any_region(user, kind: Kind) -> bool:
    """For national tools on open data: a role giving read access in any region opens it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return any(can_read(user, kind, region) for region in regions_of(user))


def is_federation_admin(user, region) -> bool:
    """Federation admins of the region, and superusers."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Role.FEDERATION_ADMIN in roles_in_region(user, region)


def is_federation_staff(user, region) -> bool:
    """Federation admins and chargé·e·s de mission of the region, and superusers."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(FEDERATION_ROLES & roles_in_region(user, region))


def can_view_geography(user) -> bool:
    """Any signed-in user: INSEE geography is public reference data."""
    return can_read(user, Kind.GEOGRAPHY, None)


def can_view_region_workspace(user, region) -> bool:
    """Anyone holding a role in the region (any role), and superusers.

    This covers the federation's page, its unions and its partners: information shared
    with every participant of the region, partners included (read-only).
    """
    return can_read(user, Kind.FEDERATION, region)


def can_edit_federation(user, federation) -> bool:
    """Only the federation admins of the federation's region (and superusers)."""
    return can_write(user, Kind.FEDERATION, federation.region_id)


def can_view_team(user, region) -> bool:
    """The list of people and their roles is private to the federation's own staff."""
    return can_read(user, Kind.TEAM, region)


def can_view_coverage(user, region) -> bool:
    """CPTS coverage is shared with every role of the region, partners included."""
    return can_read(user, Kind.COVERAGE, region)


def can_view_report(user, region) -> bool:
    """The annual activity report (with its funding): the federation, its elected members
    and its partners; not health professionals, SAS regulators or CPTS coordinators."""
    return can_read(user, Kind.REPORT, region)


def can_edit_report_texts(user, region) -> bool:
    """Federation staff and admins write the report's texts."""
    return can_write(user, Kind.REPORT, region)


def admin_region_codes(user) -> set[str] | None:
    """Regions whose records the user may manage in the Django admin.

    None means every region (superusers); an empty set means none.
    """
    if user.is_superuser:
        return None
    return {a.region_id for a in _assignments(user) if a.role == Role.FEDERATION_ADMIN}


def can_access_admin(user) -> bool:
    """Superusers, and federation admins (for their own regions only)."""
    if not (user.is_authenticated and user.is_active):
        return False
    codes = admin_region_codes(user)
    return codes is None or any(can_write(user, Kind.ADMIN, code) for code in codes)


# --- CPTS ---------------------------------------------------------------------------


def can_view_cpts_of_region(user, region) -> bool:
    """Every role holder of the region reads its CPTS (partners read only)."""
    return can_read(user, Kind.CPTS, region)


def can_view_cpts(user, cpts) -> bool:
    """Every role holder of the CPTS's region (partners read only)."""
    return can_read(user, Kind.CPTS, cpts.region_id, own=coordinates_cpts(user, cpts))


def coordinates_cpts(user, cpts) -> bool:
    return any(a.role == Role.CPTS_COORDINATOR and a.cpts_id == cpts.pk for a in _assignments(user))


def can_edit_cpts(user, cpts) -> bool:
    """Federation staff of the region, and the coordinators of this CPTS only.

    Covers the record, its territory, missions, members and governance.
    """
    return can_write(user, Kind.CPTS, cpts.region_id, own=coordinates_cpts(user, cpts))


def can_create_cpts(user, region) -> bool:
    """Federation staff of the region (they accompany CPTS from their emergence)."""
    return can_write(user, Kind.CPTS, region)


def can_change_cpts_stage(user, cpts) -> bool:
    """Federation staff record lifecycle steps, which ARS and Assurance Maladie validate."""
    return can_write(user, Kind.CPTS_LIFECYCLE, cpts.region_id)


def can_correct_cpts_stage_date(user, cpts) -> bool:
    """Only federation admins correct a recorded date, and they give a reason."""
    return can_write(user, Kind.CPTS_STAGE_DATE, cpts.region_id)


def can_log_support_action(user, cpts) -> bool:
    """Accompaniment is the federation's own work: its staff log it."""
    return can_write(user, Kind.CPTS_LIFECYCLE, cpts.region_id)


def can_import_cpts(user, region) -> bool:
    """Bulk import of CPTS: federation staff of the region."""
    return can_write(user, Kind.CPTS, region)


# --- Accounts in the Django admin ----------------------------------------------------


def can_manage_account(user, account) -> bool:
    """Superusers manage every account; a federation admin manages an account only when
    every role it holds is in a region they administer, it is not a superuser and it is not
    their own (nobody raises their own privileges).
    """
    if not can_access_admin(user):
        return False
    codes = admin_region_codes(user)
    if codes is None:
        return True
    if account.pk is None:
        return True  # an account being created: its roles are checked by the role form
    if account.pk == user.pk or account.is_superuser:
        return False
    regions = set(account.role_assignments.values_list("region_id", flat=True))
    return bool(regions) and regions <= codes


# --- Diagnostics --------------------------------------------------------------------


def can_export_diagnostic_pdf(user, region_codes) -> bool:
    """The PDF of a territorial diagnostic (heavy: about 20 s for a whole region) is for
    the federation staff and the partners of every region the territory covers, and
    superusers; the other roles read the same diagnostic on the page and in Excel.
    """
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(region_codes) and all(
        can_read(user, Kind.DIAGNOSTIC_PDF, code) for code in region_codes
    )
