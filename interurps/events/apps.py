from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "interurps.events"
    verbose_name = "Événements"
