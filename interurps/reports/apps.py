from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "interurps.reports"
    verbose_name = "Rapports d'activité"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.reports import models

        for model in (models.ReportTexts,):
            auditlog.register(model)
