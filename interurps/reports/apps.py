from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "interurps.reports"
    verbose_name = "Rapports d'activité"
