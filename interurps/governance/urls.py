from django.urls import path

from interurps.governance import views

app_name = "governance"

urlpatterns = [
    path(
        "federations/<str:region_code>/gouvernance/",
        views.federation_governance,
        name="federation",
    ),
    path(
        "federations/<str:region_code>/gouvernance/instances/nouvelle/",
        views.body_create,
        name="body_create",
    ),
    path(
        "federations/<str:region_code>/gouvernance/salaries/nouveau/",
        views.staff_create,
        name="staff_create",
    ),
    path(
        "federations/<str:region_code>/gouvernance/salaries/<int:pk>/modifier/",
        views.staff_edit,
        name="staff_edit",
    ),
    path("instances/<int:pk>/", views.body_detail, name="body_detail"),
    path("instances/<int:pk>/modifier/", views.body_edit, name="body_edit"),
    path("instances/<int:pk>/membres/nouveau/", views.member_create, name="member_create"),
    path("instances/mandats/<int:pk>/modifier/", views.member_edit, name="member_edit"),
    path("instances/<int:pk>/reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/presences/", views.meeting_attendance, name="meeting_attendance"),
    path("reunions/<int:pk>/tenue/", views.meeting_mark_held, name="meeting_mark_held"),
    path("reunions/<int:pk>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("reunions/<int:pk>/decisions/nouvelle/", views.decision_create, name="decision_create"),
    path("reunions/decisions/<int:pk>/modifier/", views.decision_edit, name="decision_edit"),
    path("reunions/<int:pk>/pv.pdf", views.meeting_pv_pdf, name="meeting_pv"),
]
