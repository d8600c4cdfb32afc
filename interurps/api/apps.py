from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "interurps.api"
    verbose_name = "API ouverte"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.api import authentication, models  # noqa: F401  (schema extension)

        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
