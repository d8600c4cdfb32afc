from django.apps import AppConfig


class ReperConfig(AppConfig):
    name = "interurps.reper"
    verbose_name = "REPER / ICOPE"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.reper import models

        for model in (
            models.ProgrammeCpts,
            models.FollowUp,
            models.Screening,
            models.Assessment,
            models.CarePlan,
            models.PlanAction,
        ):
            auditlog.register(model)
        # The identity is encrypted at rest: the trail must not keep a clear copy of it.
        auditlog.register(models.Person, exclude_fields=list(models.IDENTITY_FIELDS))
