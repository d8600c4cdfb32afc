from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "interurps.geography"
    verbose_name = "Géographie"
