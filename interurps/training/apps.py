from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "interurps.training"
    verbose_name = "Formations (PACTE)"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.training import models

        for model in (
            models.Programme,
            models.Module,
            models.Cohort,
            models.Learner,
            models.RelayTrainer,
            models.Session,
            models.Attendance,
            models.TrainerStep,
        ):
            auditlog.register(model)
