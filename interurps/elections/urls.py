from django.urls import path

from interurps.elections import views

app_name = "elections"

urlpatterns = [
    path("unions/<int:pk>/elections/", views.union_elections, name="union"),
    path("unions/<int:pk>/fonctions/", views.office_assign, name="office_assign"),
    path("elections/<int:pk>/", views.election_detail, name="detail"),
    path("elections/<int:pk>/resultats.pdf", views.election_sheet, name="sheet"),
    path("scrutins/<int:pk>/parametres/", views.ballot_update, name="ballot_update"),
    path("scrutins/<int:pk>/resultats/", views.ballot_upload, name="ballot_upload"),
    path("scrutins/<int:pk>/saisie/", views.ballot_grid, name="ballot_grid"),
    path("unions/<int:pk>/designations/", views.designation_create, name="designation_create"),
    path("designations/<int:pk>/", views.designation_detail, name="designation"),
    path(
        "designations/<int:pk>/organisations/",
        views.designation_organisation_add,
        name="designation_organisation_add",
    ),
    path(
        "designations/<int:pk>/membres/",
        views.designation_member_add,
        name="designation_member_add",
    ),
    path("scrutins/<int:pk>/repartition/", views.ballot_allocate, name="ballot_allocate"),
    path("mandats/<int:pk>/liberer/", views.mandate_vacate, name="mandate_vacate"),
    path("federations/<str:region_code>/elus/", views.federation_directory, name="directory"),
]
