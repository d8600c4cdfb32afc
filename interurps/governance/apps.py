from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "interurps.governance"
    verbose_name = "Instances de la fédération"
