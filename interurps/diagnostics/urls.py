from django.urls import path

from interurps.diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("diagnostics/", views.territory_diagnostic, name="territory"),
]
