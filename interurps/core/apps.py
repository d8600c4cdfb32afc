from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "interurps.core"
    verbose_name = "Socle"
