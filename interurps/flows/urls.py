from django.urls import path

from interurps.flows import views

app_name = "flows"

urlpatterns = [
    path("federations/<str:region_code>/flux/", views.federation, name="federation"),
    path(
        "federations/<str:region_code>/flux/importer/",
        views.flow_set_import,
        name="import",
    ),
    path(
        "federations/<str:region_code>/flux/generer/",
        views.flow_set_generate,
        name="generate",
    ),
    path("flux/<int:pk>/", views.flow_set, name="flow_set"),
    path("flux/<int:pk>/proposer/", views.propose, name="propose"),
    path("flux/propositions/<int:pk>/", views.proposal, name="proposal"),
    path("flux/propositions/<int:pk>/carte/", views.proposal_map, name="proposal_map"),
    path("flux/territoires/<int:pk>/adopter/", views.adopt, name="adopt"),
]
