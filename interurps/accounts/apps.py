from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interurps.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from interurps.accounts.models import RoleAssignment, User
        from interurps.accounts.sessions import set_session_expiry

        user_logged_in.connect(set_session_expiry, dispatch_uid="accounts.session_expiry")

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(RoleAssignment)
