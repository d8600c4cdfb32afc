from django.urls import path

from interurps.events import views

app_name = "events"

urlpatterns = [
    path("federations/<str:region_code>/evenements/", views.event_list, name="event_list"),
    path(
        "federations/<str:region_code>/evenements/nouveau/",
        views.event_create,
        name="event_create",
    ),
    path("evenements/<int:pk>/", views.event_detail, name="event_detail"),
    path("evenements/<int:pk>/modifier/", views.event_edit, name="event_edit"),
    path("evenements/<int:pk>/annuler/", views.event_cancel, name="event_cancel"),
    path("evenements/<int:pk>/tenu/", views.event_mark_held, name="event_mark_held"),
    path("evenements/<int:pk>/evenement.ics", views.event_ics, name="event_ics"),
    path(
        "evenements/<int:pk>/programme/nouveau/",
        views.programme_item_create,
        name="programme_item_create",
    ),
    path(
        "evenements/programme/<int:pk>/modifier/",
        views.programme_item_edit,
        name="programme_item_edit",
    ),
    path(
        "evenements/programme/<int:pk>/supprimer/",
        views.programme_item_delete,
        name="programme_item_delete",
    ),
    path(
        "evenements/programme/<int:pk>/intervenants/nouveau/",
        views.speaker_create,
        name="speaker_create",
    ),
    path("evenements/intervenants/<int:pk>/modifier/", views.speaker_edit, name="speaker_edit"),
    path(
        "evenements/intervenants/<int:pk>/supprimer/",
        views.speaker_delete,
        name="speaker_delete",
    ),
    path(
        "evenements/<int:pk>/inscriptions/nouvelle/",
        views.registration_create,
        name="registration_create",
    ),
    path("evenements/<int:pk>/participants.csv", views.participants_csv, name="participants_csv"),
    path(
        "evenements/<int:pk>/participants.xlsx",
        views.participants_xlsx,
        name="participants_xlsx",
    ),
    path("evenements/<int:pk>/courriel/", views.event_email, name="event_email"),
    path("inscriptions/<int:pk>/annuler/", views.registration_cancel, name="registration_cancel"),
    path(
        "inscriptions/<int:pk>/presence/",
        views.registration_check_in,
        name="registration_check_in",
    ),
    path(
        "inscriptions/<int:pk>/presence/annuler/",
        views.registration_check_in_undo,
        name="registration_check_in_undo",
    ),
    path("inscriptions/<int:pk>/attestation.pdf", views.certificate_pdf, name="certificate"),
    path("inscription/<str:token>/", views.public_register, name="public_register"),
    path(
        "inscription/annulation/<str:token>/",
        views.registration_self_cancel,
        name="registration_self_cancel",
    ),
    path(
        "inscription/<str:token>/confirmation/",
        views.public_confirmation,
        name="public_confirmation",
    ),
]
