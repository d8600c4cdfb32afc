"""Writes for accounts and roles."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone

from interurps.accounts.models import (
    AccessRequest,
    ProSanteConnectLink,
    Role,
    RoleAssignment,
    User,
)
from interurps.geography.models import Region
from interurps.professionals.models import IdentifierKind, Professional


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


# --- Pro Santé Connect --------------------------------------------------------------------


@dataclass
class PscSignIn:
    """The outcome of a Pro Santé Connect sign-in: the account (None: the registry does not
    hold the professional and no account is linked), whether it was just created, and the
    regions where it just received the health professional role."""

    user: User | None
    created: bool = False
    new_regions: list = field(default_factory=list)


def _active_professional(rpps: str | None):
    if not rpps:
        return None
    return Professional.objects.filter(
        identifier=rpps, identifier_kind=IdentifierKind.RPPS, active=True
    ).first()


def _regions_of_professional(professional) -> list[Region]:
    """Regions where the registry places the professional's practice sites."""
    return list(
        Region.objects.filter(departments__communes__practice_sites__professional=professional)
        .distinct()
        .order_by("name")
    )


def _professional_roles_ensure(*, user: User, professional) -> list[Region]:
    """The health professional role, naming the registry record, in every region of the
    professional's practice sites; returns the regions where it is new."""
    new = []
    for region in _regions_of_professional(professional):
        held = RoleAssignment.objects.filter(
            user=user, role=Role.HEALTH_PROFESSIONAL, region=region
        ).first()
        if held is None:
            new.append(region)
        if held is None or held.professional_id is None:
            role_assign(
                user=user, role=Role.HEALTH_PROFESSIONAL, region=region, professional=professional
            )
    return new


def _account_holding(rpps: str | None) -> User | None:
    """The account linked to this RPPS, or else the only account whose health professional
    role names the registry record with this RPPS."""
    if not rpps:
        return None
    link = ProSanteConnectLink.objects.select_related("user").filter(rpps=rpps).first()
    if link is not None:
        return link.user
    holders = list(
        User.objects.filter(
            role_assignments__role=Role.HEALTH_PROFESSIONAL,
            role_assignments__professional__identifier=rpps,
            role_assignments__professional__identifier_kind=IdentifierKind.RPPS,
        ).distinct()[:2]
    )
    return holders[0] if len(holders) == 1 else None


def _psc_email(identity) -> str:
    """The claims' e-mail when no account uses it, else an address that is never delivered
    (RFC 2606 `.invalid`): accounts are keyed by e-mail, and an e-mail is not proof that an
    existing account belongs to the professional."""
    email = User.objects.normalize_email(identity.email or "").lower()
    if email and "@" in email and not User.objects.filter(email__iexact=email).exists():
        try:
            EmailValidator()(email)
        except ValidationError:
            pass
        else:
            return email
    return f"rpps-{identity.rpps}@pro-sante-connect.invalid"


@transaction.atomic
def psc_sign_in(*, identity) -> PscSignIn:
    """Sign-in with Pro Santé Connect, matched to the registry by RPPS.

    - An account already linked to the RPPS (or whose health professional role names the
      registry record with that RPPS: then linked now) is the one opened; its roles are
      completed with the regions the registry places the professional in.
    - Otherwise, a professional active in the registry gets a new account (no password),
      linked, with the health professional role in each region of their practice sites.
    - Otherwise (absent, inactive, not an RPPS): no account (user None).
    """
    professional = _active_professional(identity.rpps)
    user = _account_holding(identity.rpps)
    created = False
    if user is None:
        if professional is None:
            return PscSignIn(user=None)
        user = user_create(
            email=_psc_email(identity),
            first_name=identity.first_name or professional.first_name,
            last_name=identity.last_name or professional.last_name,
        )
        created = True
    link, _ = ProSanteConnectLink.objects.get_or_create(user=user, defaults={"rpps": identity.rpps})
    if link.rpps != identity.rpps:
        # The account is linked to another RPPS: never silently switch identities.
        return PscSignIn(user=None)
    link.last_sign_in_at = timezone.now()
    link.save(update_fields=["last_sign_in_at"])
    new_regions = []
    if professional is not None:
        new_regions = _professional_roles_ensure(user=user, professional=professional)
    return PscSignIn(user=user, created=created, new_regions=new_regions)


@transaction.atomic
def psc_link(*, user: User, identity) -> ProSanteConnectLink:
    """Link a signed-in account to the RPPS Pro Santé Connect vouched for; refused when
    another account holds that RPPS (linked, or through its health professional role) or
    when this account is linked to another one. Gives the health professional role in the
    regions of the registry's record, when the registry holds it."""
    if not identity.rpps:
        raise ValidationError(
            "Pro Santé Connect n'a pas transmis de numéro RPPS : la liaison est impossible."
        )
    holder = _account_holding(identity.rpps)
    if holder is not None and holder.pk != user.pk:
        raise ValidationError(
            f"Le RPPS {identity.rpps} est déjà lié à un autre compte. Contactez votre "
            "fédération si ce compte n'est pas le vôtre."
        )
    existing = ProSanteConnectLink.objects.filter(user=user).first()
    if existing is not None and existing.rpps != identity.rpps:
        raise ValidationError(
            f"Ce compte est déjà lié au RPPS {existing.rpps}, pas à {identity.rpps}."
        )
    link = existing or ProSanteConnectLink(user=user, rpps=identity.rpps)
    link.full_clean()
    link.save()
    professional = _active_professional(identity.rpps)
    if professional is not None:
        _professional_roles_ensure(user=user, professional=professional)
    return link


@transaction.atomic
def access_request_create(*, identity, email: str, region, message: str = "") -> AccessRequest:
    """A professional unknown to the registry asks a region's federation for access; one
    pending request per identifier and region."""
    if AccessRequest.objects.filter(
        rpps=identity.national_id, region=region, status=AccessRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            {"region": "Une demande est déjà en attente auprès de cette fédération."}
        )
    request = AccessRequest(
        rpps=identity.national_id,
        first_name=identity.first_name,
        last_name=identity.last_name,
        profession=identity.profession,
        email=email,
        region=region,
        message=message,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def access_request_process(*, access_request: AccessRequest, by: User, status: str, note: str = ""):
    """The federation answers a request (accepted: the account is then created in the
    administration with the professional's role; refused)."""
    if access_request.status != AccessRequest.Status.PENDING:
        raise ValidationError("Cette demande a déjà été traitée.")
    if status not in (AccessRequest.Status.ACCEPTED, AccessRequest.Status.REFUSED):
        raise ValidationError({"status": "Choisissez « acceptée » ou « refusée »."})
    access_request.status = status
    access_request.note = note
    access_request.processed_by = by
    access_request.processed_at = timezone.now()
    access_request.full_clean()
    access_request.save()
    return access_request
