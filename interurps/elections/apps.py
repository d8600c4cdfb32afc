from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "interurps.elections"
    verbose_name = "Élections des URPS"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.elections import models

        for model in (
            models.Election,
            models.Ballot,
            models.CandidateList,
            models.Candidate,
            models.Mandate,
            models.Office,
            models.Designation,
            models.DesignatingOrganisation,
            models.DesignatedMember,
        ):
            auditlog.register(model)
