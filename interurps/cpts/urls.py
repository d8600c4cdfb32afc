from django.urls import path

from interurps.cpts import views, views_aci, views_import

app_name = "cpts"

urlpatterns = [
    path("regions/<str:region_code>/cpts/", views.cpts_list, name="list"),
    path("regions/<str:region_code>/cpts/nouvelle/", views.cpts_create, name="create"),
    path("regions/<str:region_code>/cpts/import/", views_import.cpts_import, name="import"),
    path("cpts/<int:pk>/", views.cpts_detail, name="detail"),
    path("cpts/<int:pk>/modifier/", views.cpts_edit, name="edit"),
    path("cpts/<int:pk>/territoire/", views.cpts_territory, name="territory"),
    path("cpts/<int:pk>/etape/", views.cpts_transition, name="transition"),
    path("cpts/<int:pk>/mission/", views.cpts_mission, name="mission"),
    path("cpts/<int:pk>/contrat-aci/", views_aci.aci_contract, name="aci_contract"),
    path(
        "cpts/<int:pk>/contrat-aci/annee-<int:number>/",
        views_aci.aci_contract_year,
        name="aci_contract_year",
    ),
    path("cpts/<int:pk>/ajouter/<slug:kind>/", views.related_add, name="related_add"),
    path(
        "cpts/<int:pk>/supprimer/<slug:kind>/<int:record_pk>/",
        views.related_delete,
        name="related_delete",
    ),
    path("cpts/etapes/<int:pk>/corriger/", views.transition_correct, name="transition_correct"),
    path("cpts/communes/", views.commune_lookup, name="commune_lookup"),
    path("aci/baremes/", views.aci_scales, name="aci_scales"),
    path(
        "regions/<str:code>/couverture/",
        views.coverage,
        {"kind": "region"},
        name="region_coverage",
    ),
    path(
        "departements/<str:code>/couverture/",
        views.coverage,
        {"kind": "department"},
        name="department_coverage",
    ),
]
