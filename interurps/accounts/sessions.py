"""Session length by account: shorter for those who can change the federation's records."""

from django.conf import settings

from interurps.accounts.models import Role


def is_staff_account(user) -> bool:
    """Superusers, accounts with access to the administration, and federation staff of any
    region (admins and chargé·e·s de mission)."""
    if user.is_superuser or user.is_staff:
        return True
    staff_roles = (Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF)
    return user.role_assignments.filter(role__in=staff_roles).exists()


def set_session_expiry(sender, request, user, **kwargs):
    """On sign-in (the `user_logged_in` signal): STAFF_SESSION_AGE for staff accounts, the
    default SESSION_COOKIE_AGE for everyone else."""
    if is_staff_account(user):
        request.session.set_expiry(settings.STAFF_SESSION_AGE)
