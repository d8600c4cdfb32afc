from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "interurps.activities"
    verbose_name = "Activité : réunions et calendriers"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.activities import models

        for model in (
            models.MeetingKind,
            models.Meeting,
            models.MeetingParticipant,
            models.MeetingAttachment,
        ):
            auditlog.register(model)
