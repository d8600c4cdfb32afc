from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "interurps.events"
    verbose_name = "Événements"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.events import models

        for model in (
            models.ProgrammeItem,
            models.Speaker,
            models.Registration,
        ):
            auditlog.register(model)
        # The public registration link is a secret: it stays out of the log.
        auditlog.register(models.Event, exclude_fields=["public_token"])
