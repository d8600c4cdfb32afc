"""Account pages: one's account, Pro Santé Connect (welcome, unknown professional, link),
the second factor (code, enrolment, backup codes), the federation's access requests."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import signals as auth_signals
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from interurps.accounts import perms, policy, psc, second_factor, selectors, services
from interurps.accounts.forms import (
    AccessRequestDecisionForm,
    AccessRequestForm,
    OtpCodeForm,
    OtpConfirmForm,
)
from interurps.accounts.models import ProSanteConnectLink, Role
from interurps.accounts.policy import Kind
from interurps.core.forms import add_validation_errors
from interurps.geography.models import Region


def _next_url(request, default="home:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


class LogoutView(auth_views.LogoutView):
    """Django's sign-out, then the provider's when the session came from Pro Santé Connect."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(psc.ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        return psc.logout_redirect(request, id_token, response)


@login_required
def account(request):
    user = request.user
    link = ProSanteConnectLink.objects.filter(user=user).first()
    device = second_factor.totp_device(user)
    return render(
        request,
        "accounts/account.html",
        {
            "assignments": user.role_assignments.select_related(
                "region", "union", "partner", "cpts", "professional"
            ),
            "psc_link": link,
            "psc_enabled": psc.enabled(),
            "psc_session": bool(request.session.get(psc.SIGNED_IN)),
            "totp_device": device,
            "backup_codes_left": second_factor.backup_codes_left(user) if device else 0,
            "second_factor_required": second_factor.requires_second_factor(request),
            "verified": second_factor.is_verified(user),
            "access_request_regions": [
                (region, selectors.access_requests_of_region(region, pending=True).count())
                for region in perms.regions_of(user)
                if perms.can_read(user, Kind.ACCESS_REQUEST, region)
            ],
        },
    )


# --- Pro Santé Connect -------------------------------------------------------------------


def _professional_abilities() -> list[tuple[str, str]]:
    """What the health professional role opens, read from the policy table."""
    row = [
        (kind.label, policy.POLICY[kind][policy.HEALTH_PROFESSIONAL].label)
        for kind in policy.POLICY
        if policy.POLICY[kind][policy.HEALTH_PROFESSIONAL] != policy.Access.NONE
        and kind not in (Kind.HOME, Kind.GEOGRAPHY)
    ]
    return row


@login_required
def psc_welcome(request):
    assignments = request.user.role_assignments.filter(
        role=Role.HEALTH_PROFESSIONAL
    ).select_related("region", "professional", "professional__profession")
    return render(
        request,
        "accounts/psc_welcome.html",
        {"assignments": assignments, "abilities": _professional_abilities()},
    )


def psc_unknown(request):
    """A professional Pro Santé Connect vouched for, whom the registry does not hold (or
    holds as inactive): no account; they may ask a region's federation for access."""
    data = request.session.get(psc.UNKNOWN)
    identity = psc.PscIdentity(**data) if isinstance(data, dict) else None
    form = AccessRequestForm(request.POST or None, initial={"email": identity and identity.email})
    if identity is not None and request.method == "POST" and form.is_valid():
        try:
            access_request = services.access_request_create(
                identity=identity,
                email=form.cleaned_data["email"],
                region=form.cleaned_data["region"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            request.session.pop(psc.UNKNOWN, None)
            return render(
                request, "accounts/psc_unknown.html", {"sent": access_request, "identity": None}
            )
    return render(request, "accounts/psc_unknown.html", {"identity": identity, "form": form})


@login_required
@require_POST
def psc_link_start(request):
    """Link the signed-in account: off to Pro Santé Connect, back to the account page."""
    if not psc.enabled():
        raise Http404
    request.session[psc.LINK_USER] = request.user.pk
    return redirect(f"{reverse('accounts:psc_authenticate')}?next={reverse('accounts:account')}")


# --- second factor -----------------------------------------------------------------------


def _lockout(request, credentials):
    return get_lockout_response(request, None, credentials)


@login_required
def otp_verify(request):
    user = request.user
    next_url = _next_url(request)
    if second_factor.is_verified(user) or not second_factor.totp_device(user):
        if not second_factor.is_verified(user) and second_factor.requires_second_factor(request):
            return redirect(f"{reverse('accounts:otp_enrol')}?{urlencode({'next': next_url})}")
        return redirect(next_url)
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
    if settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, credentials):
        return _lockout(request, credentials)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.code_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if settings.AXES_ENABLED:
                AxesProxyHandler.reset_attempts(username=user.email)
            left = second_factor.backup_codes_left(user)
            if device.persistent_id.startswith("otp_static") and left <= 3:
                messages.warning(
                    request,
                    f"Il vous reste {left} code(s) de secours : générez-en de nouveaux depuis "
                    "votre compte.",
                )
            return redirect(next_url)
        auth_signals.user_login_failed.send(
            sender=__name__, credentials=credentials, request=request
        )
        until = second_factor.throttled_until(user)
        form.add_error(
            "code",
            "Code incorrect ou déjà utilisé."
            + (" Attendez quelques secondes avant de réessayer." if until else ""),
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@login_required
def otp_enrol(request):
    user = request.user
    next_url = _next_url(request)
    has_device = second_factor.totp_device(user) is not None
    if has_device and not second_factor.is_verified(user):
        # Nobody replaces a device without passing it first (a stolen password is not enough).
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': next_url})}")
    if not has_device and not second_factor.requires_second_factor(request):
        messages.info(request, "Le second facteur n'est pas demandé pour votre compte.")
        return redirect("accounts:account")
    device = second_factor.totp_device_start(user=user)
    form = OtpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.totp_device_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request,
                "accounts/otp_backup_codes.html",
                {"codes": codes, "next": next_url, "enrolled": True},
            )
        form.add_error(
            "code",
            "Ce code ne correspond pas. Vérifiez l'heure de votre téléphone et saisissez le "
            "code affiché maintenant.",
        )
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": second_factor.qr_code_data_uri(device),
            "secret": second_factor.secret_text(device),
            "replacing": has_device,
        },
    )


@login_required
def otp_backup_codes(request):
    """New backup codes (POST), shown once; the old ones stop working."""
    user = request.user
    if request.method != "POST" or second_factor.totp_device(user) is None:
        return redirect("accounts:account")
    if not second_factor.is_verified(user):
        return redirect(f"{reverse('accounts:otp_verify')}?next={reverse('accounts:account')}")
    codes = second_factor.backup_codes_regenerate(user=user)
    return render(
        request,
        "accounts/otp_backup_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "enrolled": False},
    )


# --- access requests ---------------------------------------------------------------------


@login_required
def access_requests(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    if not perms.can_read(request.user, Kind.ACCESS_REQUEST, region):
        raise PermissionDenied
    may_process = perms.can_write(request.user, Kind.ACCESS_REQUEST, region)
    form = AccessRequestDecisionForm(request.POST or None, region=region)
    if request.method == "POST":
        if not may_process:
            raise PermissionDenied
        if form.is_valid():
            try:
                processed = services.access_request_process(
                    access_request=form.cleaned_data["access_request"],
                    by=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request, f"Demande de {processed} : {processed.get_status_display().lower()}."
                )
                return redirect("accounts:access_requests", region_code=region.code)
        else:
            messages.error(request, "La réponse n'a pas été enregistrée : " + _errors(form))
    return render(
        request,
        "accounts/access_requests.html",
        {
            "region": region,
            "pending": selectors.access_requests_of_region(region, pending=True),
            "processed": selectors.access_requests_of_region(region, pending=False)[:50],
            "may_process": may_process,
            "statuses": AccessRequestDecisionForm.base_fields["status"].choices,
        },
    )


def _errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
