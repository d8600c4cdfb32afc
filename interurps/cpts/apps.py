from django.apps import AppConfig


class CptsConfig(AppConfig):
    name = "interurps.cpts"
    verbose_name = "CPTS"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.cpts import models

        for model in (
            models.Cpts,
            models.StageTransition,
            models.Mission,
            models.MemberCount,
            models.MemberStructure,
            models.GovernanceMember,
            models.Coordinator,
            models.SupportAction,
            models.AciContractYear,
            models.AciContractMission,
        ):
            auditlog.register(model)
