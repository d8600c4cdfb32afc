from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "interurps.training"
    verbose_name = "Formations (PACTE)"
