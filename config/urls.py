from django.contrib import admin
from django.urls import include, path

from interurps.api.pages import api_tokens
from interurps.core.views import healthz

admin.site.site_header = "Administration InterURPS"
admin.site.site_title = "InterURPS"
admin.site.index_title = "Gestion des données"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("comptes/jetons-api/", api_tokens, name="api_tokens"),
    path("comptes/", include("interurps.accounts.urls")),
    path("geographie/", include("interurps.geography.urls")),
    path("", include("interurps.organizations.urls")),
    path("", include("interurps.cpts.urls")),
    path("", include("interurps.elections.urls")),
    path("", include("interurps.governance.urls")),
    path("", include("interurps.activities.urls")),
    path("", include("interurps.events.urls")),
    path("", include("interurps.training.urls")),
    path("", include("interurps.cpom.urls")),
    path("", include("interurps.reports.urls")),
    path("", include("interurps.professionals.urls")),
    path("", include("interurps.diagnostics.urls")),
    path("", include("interurps.flows.urls")),
    path("sas/", include("interurps.sas.urls")),
    path("fhir/", include("interurps.sas.fhir.urls")),
    path("reper/", include("interurps.reper.urls")),
    path("", include("interurps.surveys.urls")),
    path("", include("interurps.jobs.urls")),
    path("api/v1/", include("interurps.api.urls")),
    path("", include("interurps.home.urls")),
]

handler403 = "interurps.core.errors.permission_denied"
handler404 = "interurps.core.errors.page_not_found"
handler500 = "interurps.core.errors.server_error"
