from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interurps.professionals"
    verbose_name = "Professionnels de santé"

    def ready(self):
        from interurps.professionals import signals  # noqa: F401
