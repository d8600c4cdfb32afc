from django.urls import path

from interurps.training import views

app_name = "training"

urlpatterns = [
    path(
        "federations/<str:region_code>/formations/",
        views.federation_training,
        name="federation",
    ),
    path(
        "federations/<str:region_code>/formations/nouveau/",
        views.programme_create,
        name="programme_create",
    ),
    path(
        "federations/<str:region_code>/formations/formateurs/",
        views.trainers,
        name="trainers",
    ),
    path(
        "federations/<str:region_code>/formations/formateurs/nouveau/",
        views.trainer_create,
        name="trainer_create",
    ),
    path("formations/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("formations/<int:pk>/modifier/", views.programme_edit, name="programme_edit"),
    path("formations/<int:pk>/modules/nouveau/", views.module_create, name="module_create"),
    path("formations/modules/<int:pk>/modifier/", views.module_edit, name="module_edit"),
    path("formations/<int:pk>/cohortes/nouvelle/", views.cohort_create, name="cohort_create"),
    path("cohortes/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohortes/<int:pk>/modifier/", views.cohort_edit, name="cohort_edit"),
    path("cohortes/<int:pk>/apprenants/nouveau/", views.learner_create, name="learner_create"),
    path("cohortes/apprenants/<int:pk>/", views.learner_detail, name="learner_detail"),
    path("cohortes/apprenants/<int:pk>/modifier/", views.learner_edit, name="learner_edit"),
    path("cohortes/<int:pk>/seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("seances/<int:pk>/presences/", views.session_attendance, name="session_attendance"),
    path("formateurs/<int:pk>/modifier/", views.trainer_edit, name="trainer_edit"),
    path("formateurs/<int:pk>/etapes/nouvelle/", views.step_create, name="step_create"),
    path("formateurs/etapes/<int:pk>/modifier/", views.step_edit, name="step_edit"),
]
