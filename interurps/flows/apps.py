from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "interurps.flows"
    verbose_name = "Flux de patientèle et territoires"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.flows import models

        for model in (models.FlowSet, models.TerritoryProposal, models.ProposedTerritory):
            auditlog.register(model)
