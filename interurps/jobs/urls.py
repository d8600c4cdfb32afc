from django.urls import path

from interurps.jobs import views

app_name = "jobs"

urlpatterns = [
    path("federations/<str:region_code>/travaux/", views.job_list, name="list"),
    path(
        "federations/<str:region_code>/travaux/lancer/<str:kind>/",
        views.job_start,
        name="start",
    ),
    path("travaux/<int:pk>/", views.job_detail, name="detail"),
    path("travaux/<int:pk>/progression/", views.job_progress, name="progress"),
    path("travaux/<int:pk>/resultat/", views.job_result, name="result"),
    path("travaux/<int:pk>/annuler/", views.job_cancel, name="cancel"),
    path("travaux/<int:pk>/relancer/", views.job_requeue, name="requeue"),
]
