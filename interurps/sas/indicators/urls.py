"""SAS indicators, map and effectors' monthly statements (namespace `sas`, under /sas/)."""

from django.urls import path

from interurps.sas.indicators import views

urlpatterns = [
    path("indicateurs/<str:region_code>/", views.indicators, name="indicators"),
    path("indicateurs/<str:region_code>/carte/", views.indicators_map, name="indicators_map"),
    path(
        "indicateurs/<str:region_code>/carte.geojson",
        views.indicators_geojson,
        name="indicators_geojson",
    ),
    path(
        "indicateurs/effecteurs/<int:pk>/releve/",
        views.effector_statement,
        name="effector_statement",
    ),
]
