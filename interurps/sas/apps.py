from django.apps import AppConfig


class SasConfig(AppConfig):
    name = "interurps.sas"
    verbose_name = "Service d'accès aux soins (SAS)"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.sas import models

        for model in (
            models.Structure,
            models.Effector,
            models.Site,
            models.SearchRadius,
            models.Appointment,
        ):
            auditlog.register(model)
        # The token's hash is a secret: it stays out of the log.
        auditlog.register(models.ApiClient, exclude_fields=["token_hash"])
