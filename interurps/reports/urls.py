from django.urls import path

from interurps.reports import views

app_name = "reports"

urlpatterns = [
    path("federations/<str:region_code>/rapport/", views.current_report, name="current"),
    path("federations/<str:region_code>/rapport/<int:year>/", views.report, name="report"),
    path(
        "federations/<str:region_code>/rapport/<int:year>/rapport.pdf",
        views.report_pdf,
        name="pdf",
    ),
    path(
        "federations/<str:region_code>/rapport/<int:year>/textes/",
        views.report_texts_edit,
        name="texts",
    ),
]
