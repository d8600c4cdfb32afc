from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interurps.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.accounts.models import RoleAssignment, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(RoleAssignment)
