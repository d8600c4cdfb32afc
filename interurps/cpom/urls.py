from django.urls import path

from interurps.cpom import views

app_name = "cpom"

urlpatterns = [
    path("federations/<str:region_code>/cpom/", views.federation_cpom, name="federation_cpom"),
    path(
        "federations/<str:region_code>/cpom/nouveau/",
        views.contract_create,
        name="contract_create",
    ),
    path(
        "federations/<str:region_code>/cpom/financements/nouvelle/",
        views.funding_line_create,
        name="funding_line_create",
    ),
    path("cpom/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("cpom/<int:pk>/modifier/", views.contract_edit, name="contract_edit"),
    path("cpom/<int:pk>/avenants/nouveau/", views.amendment_create, name="amendment_create"),
    path("cpom/<int:pk>/thematiques/nouvelle/", views.theme_create, name="theme_create"),
    path("cpom/thematiques/<int:pk>/modifier/", views.theme_edit, name="theme_edit"),
    path(
        "cpom/thematiques/<int:pk>/objectifs/nouveau/",
        views.objective_create,
        name="objective_create",
    ),
    path("cpom/objectifs/<int:pk>/modifier/", views.objective_edit, name="objective_edit"),
    path("cpom/objectifs/<int:pk>/actions/nouvelle/", views.action_create, name="action_create"),
    path(
        "cpom/objectifs/<int:pk>/indicateurs/nouveau/",
        views.indicator_create_for_objective,
        name="objective_indicator_create",
    ),
    path("cpom/actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("cpom/actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path(
        "cpom/actions/<int:pk>/indicateurs/nouveau/",
        views.indicator_create_for_action,
        name="action_indicator_create",
    ),
    path("cpom/indicateurs/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("cpom/indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path("cpom/indicateurs/<int:pk>/cibles/", views.target_set, name="target_set"),
    path(
        "cpom/indicateurs/<int:pk>/mesures/nouvelle/",
        views.measurement_create,
        name="measurement_create",
    ),
    path("cpom/indicateurs/<int:pk>/figer/", views.indicator_freeze, name="indicator_freeze"),
    path("cpom/financements/<int:pk>/", views.funding_line_detail, name="funding_line_detail"),
    path(
        "cpom/financements/<int:pk>/modifier/",
        views.funding_line_edit,
        name="funding_line_edit",
    ),
    path(
        "cpom/financements/<int:pk>/depenses/nouvelle/",
        views.spending_create,
        name="spending_create",
    ),
]
