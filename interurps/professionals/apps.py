from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interurps.professionals"
    verbose_name = "Professionnels de santé"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.professionals import models

        for model in (
            models.Professional,
            models.PracticeSite,
        ):
            auditlog.register(model)
