from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "interurps.surveys"
    verbose_name = "Enquêtes"

    def ready(self):
        from auditlog.registry import auditlog

        from interurps.surveys import models

        # Tokens are secrets: they stay out of the log. Answers are the respondents' own
        # (not audited: they are never changed by anyone else once sent).
        auditlog.register(models.Survey, exclude_fields=["public_token"])
        auditlog.register(models.SurveyVersion)
        auditlog.register(models.Invitation, exclude_fields=["token"])
