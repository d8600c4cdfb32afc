from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "interurps.jobs"
    verbose_name = "Travaux en arrière-plan"
