"""Writes for accounts and roles."""

from django.core.exceptions import ValidationError
from django.db import transaction

from interurps.accounts.models import Role, RoleAssignment, User


@transaction.atomic
def user_create(
    *, email: str, password: str | None = None, first_name: str = "", last_name: str = ""
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse électronique."})
    user = User(email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def role_assign(
    *, user: User, role: str, region, union=None, partner=None, cpts=None, professional=None
) -> RoleAssignment:
    """Give `user` a role in `region` (and union, partner, CPTS or, for a health
    professional, their registry record); returns the existing one if held.

    Federation admins get access to the Django admin, which they see scoped to their region.
    """
    assignment = RoleAssignment.objects.filter(
        user=user, role=role, region=region, union=union, partner=partner, cpts=cpts
    ).first()
    if assignment is not None and professional is not None and assignment.professional_id is None:
        assignment.professional = professional
        assignment.full_clean()
        assignment.save(update_fields=["professional"])
    if assignment is None:
        assignment = RoleAssignment(
            user=user,
            role=role,
            region=region,
            union=union,
            partner=partner,
            cpts=cpts,
            professional=professional,
        )
        assignment.full_clean()
        assignment.save()
    if role == Role.FEDERATION_ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_role_assignments_cache", None)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    user = assignment.user
    assignment.delete()
    still_admin = user.role_assignments.filter(role=Role.FEDERATION_ADMIN).exists()
    if user.is_staff and not still_admin and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
