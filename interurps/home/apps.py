from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Pages above every domain app: each role's home, the menu and the work queues."""

    name = "interurps.home"
    verbose_name = "Accueil"
