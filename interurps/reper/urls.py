from django.urls import include, path

from interurps.reper import views

app_name = "reper"
urlpatterns = [
    *views.urlpatterns,
    path("", include("interurps.reper.monitoring.urls")),
]
