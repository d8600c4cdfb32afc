from django.apps import AppConfig


class CpomConfig(AppConfig):
    name = "interurps.cpom"
    verbose_name = "CPOM"
