"""Reads for accounts: which accounts an administrator may see and manage."""

from django.db.models import QuerySet

from interurps.accounts import perms
from interurps.accounts.models import RoleAssignment, User


def admin_visible_users(actor) -> QuerySet[User]:
    """Accounts the actor sees in the Django admin.

    Superusers see every account. A federation admin sees the accounts holding a role in
    one of the regions they administer, except superusers; roleless accounts belong to no
    region and are visible to superusers only.
    """
    codes = perms.admin_region_codes(actor)
    if codes is None:
        return User.objects.all()
    in_region = RoleAssignment.objects.filter(region__in=codes).values("user_id")
    return User.objects.filter(pk__in=in_region, is_superuser=False)


def admin_manageable_users(actor) -> QuerySet[User]:
    """Accounts the actor may edit, give roles to, or set the password of.

    For a federation admin: the visible accounts whose every role is in the regions they
    administer (changing the password of someone who also holds a role elsewhere would take
    over that role), never their own account (they cannot raise their own privileges).
    """
    codes = perms.admin_region_codes(actor)
    if codes is None:
        return User.objects.all()
    elsewhere = RoleAssignment.objects.exclude(region__in=codes).values("user_id")
    return admin_visible_users(actor).exclude(pk__in=elsewhere).exclude(pk=actor.pk)


def access_requests_of_region(region, *, pending: bool):
    """Access requests sent to the region's federation: pending ones (oldest first) or the
    processed ones (latest first)."""
    from interurps.accounts.models import AccessRequest

    requests = AccessRequest.objects.filter(region=region).select_related("processed_by")
    if pending:
        return requests.filter(status=AccessRequest.Status.PENDING).order_by("created_at", "pk")
    return requests.exclude(status=AccessRequest.Status.PENDING).order_by("-processed_at", "-pk")
