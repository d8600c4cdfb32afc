from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "interurps.elections"
    verbose_name = "Élections des URPS"
