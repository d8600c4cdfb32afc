from django.urls import path

from interurps.organizations import views

app_name = "organizations"

urlpatterns = [
    path("federations/<str:region_code>/", views.federation_detail, name="federation_detail"),
    path("federations/<str:region_code>/modifier/", views.federation_edit, name="federation_edit"),
    path("federations/<str:region_code>/equipe/", views.team, name="team"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
]
