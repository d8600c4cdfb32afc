from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interurps.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from interurps.accounts.models import (
            AccessRequest,
            ProSanteConnectLink,
            RoleAssignment,
            User,
        )
        from interurps.accounts.psc import remember_sign_in
        from interurps.accounts.sessions import set_session_expiry

        user_logged_in.connect(set_session_expiry, dispatch_uid="accounts.session_expiry")
        user_logged_in.connect(remember_sign_in, dispatch_uid="accounts.psc_sign_in")

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(RoleAssignment)
        auditlog.register(ProSanteConnectLink)
        auditlog.register(AccessRequest)
        _unregister_otp_admin()


def _unregister_otp_admin():
    """django-otp's admin pages (devices, their secrets) stay out of the administration:
    a device is enrolled and replaced by its owner, after passing it."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
