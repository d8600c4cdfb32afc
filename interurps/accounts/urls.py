from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from interurps.accounts import psc, views
from interurps.accounts.forms import EmailAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
            extra_context={"psc_enabled": psc.enabled()},
        ),
        name="login",
    ),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/changer/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/changer/termine/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

# --- Pro Santé Connect and the second factor ----------------------------------------------
urlpatterns += [
    path("mon-compte/", views.account, name="account"),
    path("second-facteur/", views.otp_verify, name="otp_verify"),
    path("second-facteur/activation/", views.otp_enrol, name="otp_enrol"),
    path("second-facteur/codes-de-secours/", views.otp_backup_codes, name="otp_backup_codes"),
    path("pro-sante-connect/bienvenue/", views.psc_welcome, name="psc_welcome"),
    path("pro-sante-connect/inconnu/", views.psc_unknown, name="psc_unknown"),
    path(
        "federations/<str:region_code>/demandes-d-acces/",
        views.access_requests,
        name="access_requests",
    ),
]
# Only when Pro Santé Connect is configured (settings PSC_*): otherwise no such address.
if psc.enabled():
    urlpatterns += [
        path("pro-sante-connect/", psc.PscAuthenticateView.as_view(), name="psc_authenticate"),
        path("pro-sante-connect/retour/", psc.PscCallbackView.as_view(), name="psc_callback"),
        path("pro-sante-connect/lier/", views.psc_link_start, name="psc_link"),
    ]
