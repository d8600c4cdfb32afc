from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "interurps.activities"
    verbose_name = "Activité : réunions et calendriers"
