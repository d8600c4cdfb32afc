from django.urls import path

from interurps.sas.regulation import views

urlpatterns = [
    path("regulation/<str:region_code>/", views.regulation_today, name="regulation_today"),
    path(
        "regulation/<str:region_code>/demandes/nouvelle/",
        views.regulation_request_create,
        name="regulation_request_create",
    ),
    path("regulation/demandes/<int:pk>/", views.regulation_request, name="regulation_request"),
    path("regulation/demandes/<int:pk>/reserver/", views.regulation_book, name="regulation_book"),
    path(
        "regulation/demandes/<int:pk>/surnumeraire/",
        views.regulation_book_extra,
        name="regulation_book_extra",
    ),
    path(
        "regulation/demandes/<int:pk>/issue/", views.regulation_outcome, name="regulation_outcome"
    ),
    path(
        "regulation/rendez-vous/<int:pk>/annuler/",
        views.regulation_cancel,
        name="regulation_cancel",
    ),
]
