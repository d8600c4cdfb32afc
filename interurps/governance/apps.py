from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "interurps.governance"
    verbose_name = "Instances de la fédération"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.governance import models

        for model in (
            models.Body,
            models.BodyMember,
            models.StaffMember,
            models.Meeting,
            models.Attendance,
            models.Decision,
        ):
            auditlog.register(model)
