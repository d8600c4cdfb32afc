from django.apps import AppConfig


class CpomConfig(AppConfig):
    name = "interurps.cpom"
    verbose_name = "CPOM"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.cpom import models

        for model in (
            models.Contract,
            models.Amendment,
            models.Theme,
            models.Objective,
            models.Action,
            models.Indicator,
            models.IndicatorTarget,
            models.Measurement,
            models.FundingLine,
            models.Spending,
        ):
            auditlog.register(model)
