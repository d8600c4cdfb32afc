from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region's loader: it sits above every domain app and reads them all."""

    name = "interurps.demo"
    verbose_name = "Démonstration"
