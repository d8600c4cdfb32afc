from django.urls import path

from interurps.activities import views

app_name = "activities"

urlpatterns = [
    path("federations/<str:region_code>/reunions/", views.meeting_list, name="meeting_list"),
    path(
        "federations/<str:region_code>/reunions/nouvelle/",
        views.meeting_create,
        name="meeting_create",
    ),
    path(
        "federations/<str:region_code>/reunions/import/",
        views.meeting_import,
        name="meeting_import",
    ),
    path(
        "federations/<str:region_code>/reunions/types/", views.meeting_kinds, name="meeting_kinds"
    ),
    path("federations/<str:region_code>/activite/", views.activity_counts, name="activity_counts"),
    path("federations/<str:region_code>/calendrier/", views.calendar_view, name="calendar"),
    path(
        "federations/<str:region_code>/calendrier/abonnements/",
        views.calendar_subscriptions,
        name="calendar_subscriptions",
    ),
    path("calendrier/<str:token>.ics", views.ics_feed, name="ics_feed"),
    path("activite/reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("activite/reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("activite/reunions/<int:pk>/supprimer/", views.meeting_delete, name="meeting_delete"),
    path("activite/reunions/<int:pk>/pieces/", views.attachment_upload, name="attachment_upload"),
    path("activite/pieces/<int:pk>/", views.attachment_download, name="attachment_download"),
]
