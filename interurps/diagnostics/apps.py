from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "interurps.diagnostics"
    verbose_name = "Diagnostics territoriaux"
