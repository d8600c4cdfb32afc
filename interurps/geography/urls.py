from django.urls import path

from interurps.geography import views

app_name = "geography"

urlpatterns = [
    path("", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("departements/<str:code>/", views.department_detail, name="department_detail"),
    path("communes.geojson", views.communes_geojson, name="communes_geojson"),
    path("communes/", views.commune_list, name="commune_list"),
    path("communes/<str:code>/", views.commune_detail, name="commune_detail"),
]
