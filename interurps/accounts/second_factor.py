"""The second factor (django-otp): a TOTP application, with single-use backup codes.

Who must pass it: accounts holding a role of settings.OTP_REQUIRED_ROLES in any region
(federation admins and chargé·e·s de mission by default), and accounts with access to the
Django administration (superusers, is_staff) while OTP_REQUIRED_FOR_ADMIN_ACCESS is on. A
session opened by Pro Santé Connect (CPS card or e-CPS: strong authentication) counts as the
second factor for the health professional role only: an account that also holds a staff
role still passes its TOTP.

`SecondFactorMiddleware` sends such an account, signed in by password, to the code page
(or to enrolment when it has no device yet) before any page other than the public ones
(sign-in, password reset, public registration…) and sign-out; the Django admin included.

Wrong codes count as failed sign-ins for django-axes (`user_login_failed`, credentials =
the account's e-mail): after AXES_FAILURE_LIMIT the account is locked from that address
like after wrong passwords. django-otp throttles each device too (1, 2, 4, 8… seconds
between attempts after failures).
"""

from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interurps.accounts import perms, psc
from interurps.accounts.models import Role
from interurps.accounts.policy import PUBLIC, TOKEN, page_of

BACKUP_DEVICE_NAME = "Codes de secours"
TOTP_DEVICE_NAME = "Application d'authentification"
# Pages a signed-in account that still owes its second factor may open.
OPEN_PAGES = {"accounts:logout", "accounts:otp_verify", "accounts:otp_enrol"}


def requires_second_factor(request) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if settings.OTP_REQUIRED_FOR_ADMIN_ACCESS and (user.is_staff or user.is_superuser):
        return True
    required = set(settings.OTP_REQUIRED_ROLES)
    if not required:
        return False
    roles = {assignment.role for assignment in perms._assignments(user)} & required
    if request.session.get(psc.SIGNED_IN):
        roles.discard(Role.HEALTH_PROFESSIONAL)
    return bool(roles)


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def totp_device(user, *, confirmed=True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def _open_page(request) -> bool:
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    if name in OPEN_PAGES:
        return True
    page = page_of(name)
    return page is not None and page.get in (PUBLIC, TOKEN)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware (which sets `user.is_verified()`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            requires_second_factor(request)
            and not is_verified(request.user)
            and not _open_page(request)
        ):
            target = "accounts:otp_verify" if totp_device(request.user) else "accounts:otp_enrol"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


# --- devices ------------------------------------------------------------------------------


def totp_device_start(*, user) -> TOTPDevice:
    """The device being enrolled (unconfirmed until a first code), created once."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as typed into an application by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def backup_codes_regenerate(*, user) -> list[str]:
    """New backup codes (settings.OTP_BACKUP_CODES), replacing the old ones: returned once,
    to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a first code: it replaces any earlier one, and fresh backup
    codes are returned (None: the code is wrong)."""
    if not device.verify_token(normalize(code)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_regenerate(user=device.user)


def normalize(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def code_verify(*, user, code: str):
    """The device that accepts `code` (a 6-digit TOTP code or a backup code), or None;
    a wrong code counts against the device tried (django-otp throttling)."""
    code = normalize(code)
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and device.verify_token(code):
                return device
    return None


def throttled_until(user):
    """When the next code may be tried, if a device is throttled now."""
    for device in devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            return data["locked_until"]
    return None


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, user) -> int:
    """Remove every device of the account (`manage.py second_factor_reset`): it enrols
    again at its next sign-in. Returns the number of devices removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed
