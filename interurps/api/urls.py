from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from interurps.api import views

app_name = "api"

urlpatterns = [
    path(
        "schema/",
        views.SchemaView.as_view(),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[AllowAny], title="API ouverte InterURPS"
        ),
        name="docs",
    ),
    path("regions/<str:region_code>/cpts/", views.RegionCptsList.as_view(), name="region_cpts"),
    path("cpts/<int:pk>/", views.CptsDetail.as_view(), name="cpts_detail"),
    path("cpts/<int:pk>/territoire/", views.CptsTerritory.as_view(), name="cpts_territory"),
    path(
        "regions/<str:region_code>/couverture/",
        views.RegionCoverage.as_view(),
        name="region_coverage",
    ),
    path(
        "departements/<str:code>/couverture/",
        views.DepartmentCoverage.as_view(),
        name="department_coverage",
    ),
    path(
        "indicateurs-territoriaux/",
        views.TerritoryIndicators.as_view(),
        name="territory_indicators",
    ),
    path(
        "regions/<str:region_code>/activite/",
        views.ActivityCounts.as_view(),
        name="activity_counts",
    ),
    path(
        "regions/<str:region_code>/cpom/indicateurs/",
        views.RegionIndicatorList.as_view(),
        name="region_indicators",
    ),
    path("cpom/indicateurs/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator_detail"),
    path(
        "cpom/indicateurs/<int:pk>/mesures/",
        views.IndicatorMeasurements.as_view(),
        name="indicator_measurements",
    ),
    path(
        "regions/<str:region_code>/evenements/",
        views.RegionEventList.as_view(),
        name="region_events",
    ),
    path("evenements/<int:pk>/", views.EventDetail.as_view(), name="event_detail"),
]
