from django.urls import path

from interurps.surveys import views

app_name = "surveys"

urlpatterns = [
    path("federations/<str:region_code>/enquetes/", views.survey_list, name="list"),
    path("federations/<str:region_code>/enquetes/nouvelle/", views.survey_create, name="create"),
    path("enquetes/<int:pk>/", views.survey_detail, name="detail"),
    path("enquetes/<int:pk>/parametres/", views.survey_edit, name="edit"),
    path("enquetes/<int:pk>/questionnaire/", views.survey_definition, name="definition"),
    path("enquetes/<int:pk>/constructeur/", views.survey_builder, name="builder"),
    path("enquetes/<int:pk>/apercu/", views.survey_preview, name="preview"),
    path("enquetes/<int:pk>/copier/", views.survey_copy, name="copy"),
    path("enquetes/<int:pk>/statut/", views.survey_status, name="status"),
    path("enquetes/<int:pk>/destinataires/", views.survey_targets, name="targets"),
    path("enquetes/<int:pk>/destinataires/import/", views.survey_import, name="import"),
    path("enquetes/<int:pk>/invitations/", views.survey_invitations, name="invitations"),
    path("enquetes/<int:pk>/envoi/", views.survey_send, name="send"),
    path("enquetes/<int:pk>/indicateur-cpom/", views.survey_indicator, name="indicator"),
    path("enquetes/<int:pk>/resultats/", views.survey_results, name="results"),
    path("enquetes/<int:pk>/resultats.pdf", views.survey_results_pdf, name="results_pdf"),
    path("enquete/<str:token>/", views.public_answer, name="public"),
    path("enquete/reponse/<str:token>/", views.answer, name="answer"),
    path("enquete/reponse/<str:token>/desinscription/", views.unsubscribe, name="unsubscribe"),
]
