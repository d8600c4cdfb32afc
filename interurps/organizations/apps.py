from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "interurps.organizations"
    verbose_name = "Organisations"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.organizations.models import Federation, Partner, Union

        auditlog.register(Federation)
        auditlog.register(Union)
        auditlog.register(Partner)
