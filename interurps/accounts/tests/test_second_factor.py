"""The second factor (TOTP with backup codes) for staff accounts.

The test settings turn it off (OTP_REQUIRED_ROLES empty, OTP_REQUIRED_FOR_ADMIN_ACCESS
off), so that `client.force_login` in the rest of the suite signs in fully; here it is
turned on as in production, and `test_production_requires_the_second_factor` checks that
production's settings do require it.
"""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interurps.accounts import psc
from interurps.accounts.models import Role
from interurps.accounts.second_factor import backup_codes_regenerate
from tests.factories import DEFAULT_PASSWORD, user_with_role
from tests.production import production_settings

pytestmark = pytest.mark.django_db

STAFF_ROLES = {"federation_admin", "federation_staff"}
ON = {"OTP_REQUIRED_ROLES": STAFF_ROLES, "OTP_REQUIRED_FOR_ADMIN_ACCESS": True}


@pytest.fixture(autouse=True)
def second_factor_on():
    with override_settings(**ON):
        yield


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    backup_codes_regenerate(user=user)
    return device


def sign_in(client, user, **extra):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}, **extra
    )
    assert response.status_code == 302, response.text
    return response


def test_production_requires_the_second_factor(monkeypatch):
    prod = production_settings(monkeypatch)
    assert prod.OTP_REQUIRED_ROLES == STAFF_ROLES
    assert prod.OTP_REQUIRED_FOR_ADMIN_ACCESS is True
    assert "interurps.accounts.second_factor.SecondFactorMiddleware" in prod.MIDDLEWARE
    otp = prod.MIDDLEWARE.index("django_otp.middleware.OTPMiddleware")
    assert prod.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") < otp
    assert otp < prod.MIDDLEWARE.index("interurps.accounts.second_factor.SecondFactorMiddleware")


def test_staff_without_a_device_is_sent_to_enrolment_and_enrols(client):
    staff = user_with_role(Role.FEDERATION_STAFF)
    sign_in(client, staff)
    home = client.get(reverse("home:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("accounts:otp_enrol") + "?next=%2F"
    page = client.get(home["Location"])
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml', page.text)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page.text).group(1).replace(" ", "")
    assert len(secret) == 32  # 20 bytes in base32
    wrong_code = "000000" if code_of(device) != "000000" else "111111"
    wrong = client.post(home["Location"], {"code": wrong_code})
    assert "Ce code ne correspond pas" in wrong.text
    device.throttle_reset()
    confirmed = client.post(home["Location"], {"code": code_of(device), "next": "/"})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", confirmed.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Ils ne seront plus affichés" in confirmed.text
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home:home")).status_code == 200


def test_staff_with_a_device_must_give_a_code_before_any_page(client):
    staff = user_with_role(Role.FEDERATION_ADMIN)
    device = enrolled(staff)
    sign_in(client, staff)
    for url in (reverse("home:home"), reverse("accounts:account"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
    # Enrolling a new device is not a way around it.
    enrol = client.get(reverse("accounts:otp_enrol"))
    assert enrol["Location"].startswith(reverse("accounts:otp_verify"))
    wrong = client.post(reverse("accounts:otp_verify"), {"code": "12345x"})
    assert "Code incorrect" in wrong.text
    device.throttle_reset()
    response = client.post(
        reverse("accounts:otp_verify"), {"code": code_of(device), "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("home:home")).status_code == 200


def test_the_django_admin_requires_it_when_signed_in_at_its_own_login(client):
    admin_user = user_with_role(Role.FEDERATION_ADMIN)
    device = enrolled(admin_user)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    blocked = client.get("/admin/accounts/user/")
    assert blocked["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_superuser_without_a_staff_role_needs_it_too(client):
    root = user_with_role(Role.PARTNER)
    root.is_superuser = root.is_staff = True
    root.save()
    client.force_login(root)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_enrol"))


def test_a_backup_code_works_once(client):
    staff = user_with_role(Role.FEDERATION_STAFF)
    enrolled(staff)
    code = StaticToken.objects.filter(device__user=staff).first().token
    sign_in(client, staff)
    response = client.post(reverse("accounts:otp_verify"), {"code": code.upper()})
    assert response["Location"] == reverse("home:home")
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    client.post(reverse("accounts:logout"))
    sign_in(client, staff)
    again = client.post(reverse("accounts:otp_verify"), {"code": code})
    assert again.status_code == 200 and "Code incorrect" in again.text


def test_new_backup_codes_from_the_account_page_replace_the_old_ones(client):
    staff = user_with_role(Role.FEDERATION_STAFF)
    device = enrolled(staff)
    old = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    sign_in(client, staff)
    client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    page = client.post(reverse("accounts:otp_backup_codes"))
    new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text))
    assert len(new) == 10 and not new & old
    kept = StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    assert set(kept) == new


def test_public_pages_and_sign_out_stay_open_before_the_code(client):
    staff = user_with_role(Role.FEDERATION_STAFF)
    enrolled(staff)
    sign_in(client, staff)
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_and_other_roles_are_unaffected(client):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("home:home"))["Location"].startswith(reverse("accounts:login"))
    for role in (Role.HEALTH_PROFESSIONAL, Role.PARTNER, Role.CPTS_COORDINATOR):
        user = user_with_role(role)
        client.force_login(user)
        assert client.get(reverse("home:home")).status_code == 200, role


def test_wrong_codes_lock_the_account_like_wrong_passwords(client):
    """Five wrong codes: even the right one is refused (django-axes lock, 429), and so is
    the password from that address."""
    staff = user_with_role(Role.FEDERATION_STAFF)
    device = enrolled(staff)
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, OTP_TOTP_THROTTLE_FACTOR=0):
        sign_in(client, staff)
        for _attempt in range(5):
            response = client.post(reverse("accounts:otp_verify"), {"code": "000001"})
        assert response.status_code == 429
        locked = client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
        assert locked.status_code == 429
        assert "Connexion temporairement bloquée" in locked.text
        assert client.get(reverse("home:home"))["Location"].startswith(
            reverse("accounts:otp_verify")
        )
        client.post(reverse("accounts:logout"))
        password = client.post(
            reverse("accounts:login"), {"username": staff.email, "password": DEFAULT_PASSWORD}
        )
        assert password.status_code == 429


def test_django_otp_throttles_attempts_after_a_wrong_code(client):
    """Without django-axes too: after a wrong code, the right one waits (1, 2, 4… s)."""
    staff = user_with_role(Role.FEDERATION_STAFF)
    device = enrolled(staff)
    sign_in(client, staff)
    client.post(reverse("accounts:otp_verify"), {"code": "000001"})
    refused = client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    assert refused.status_code == 200
    assert "Attendez quelques secondes" in refused.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_pro_sante_connect_counts_for_the_professional_role_only(client, rf):
    """A Pro Santé Connect session is strong authentication for a professional (even if
    OTP_REQUIRED_ROLES named the role); a staff account still gives its code."""
    professional = user_with_role(Role.HEALTH_PROFESSIONAL)
    staff = user_with_role(Role.FEDERATION_STAFF)
    roles = {*STAFF_ROLES, "health_professional"}
    with override_settings(OTP_REQUIRED_ROLES=roles):
        client.force_login(professional)
        assert client.get(reverse("home:home")).status_code == 302
        session = client.session
        session[psc.SIGNED_IN] = True
        session.save()
        assert client.get(reverse("home:home")).status_code == 200
        client.force_login(staff)
        session = client.session
        session[psc.SIGNED_IN] = True
        session.save()
        assert client.get(reverse("home:home"))["Location"].startswith(
            reverse("accounts:otp_enrol")
        )


def test_accounts_that_need_no_second_factor_are_not_asked_to_enrol(client):
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(reverse("accounts:otp_enrol"))
    assert response["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.exists()


def test_the_test_settings_keep_it_off_for_force_login():
    with override_settings(OTP_REQUIRED_ROLES=set(), OTP_REQUIRED_FOR_ADMIN_ACCESS=False):
        from config.settings import test as test_settings

        assert test_settings.OTP_REQUIRED_ROLES == set()
        assert test_settings.OTP_REQUIRED_FOR_ADMIN_ACCESS is False
    assert settings.OTP_REQUIRED_ROLES == STAFF_ROLES  # the fixture turned it on here


def test_second_factor_reset_command_sends_the_account_back_to_enrolment(client):
    from django.core.management import call_command

    staff = user_with_role(Role.FEDERATION_STAFF)
    enrolled(staff)
    call_command("second_factor_reset", staff.email.upper(), stdout=None)
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticToken.objects.filter(device__user=staff).exists()
    sign_in(client, staff)
    assert client.get(reverse("home:home"))["Location"].startswith(reverse("accounts:otp_enrol"))
