from django.urls import include, path

from interurps.sas import views

app_name = "sas"
urlpatterns = [
    *views.urlpatterns,
    path("", include("interurps.sas.regulation.urls")),
    path("", include("interurps.sas.indicators.urls")),
]
