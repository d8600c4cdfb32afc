from django.urls import include, path

from interurps.sas import views

app_name = "sas"
urlpatterns = [
    # effectors and participation (the SAS officer)
    path("<str:region_code>/participation/", views.participation, name="participation"),
    path("<str:region_code>/effecteurs/nouveau/", views.effector_create, name="effector_create"),
    path("effecteurs/<int:pk>/", views.effector_detail, name="effector_detail"),
    path("effecteurs/<int:pk>/participation/", views.effector_edit, name="effector_edit"),
    path("effecteurs/<int:pk>/suspension/", views.effector_suspend, name="effector_suspend"),
    path("effecteurs/<int:pk>/reprise/", views.effector_resume, name="effector_resume"),
    path("effecteurs/<int:pk>/lieux/nouveau/", views.site_create, name="site_create"),
    # slots (the effector)
    path("mes-creneaux/", views.my_slots, name="my_slots"),
    path("effecteurs/<int:pk>/creneaux/", views.slot_week, name="slot_week"),
    path("effecteurs/<int:pk>/creneaux/nouveau/", views.slot_create, name="slot_create"),
    path("effecteurs/<int:pk>/creneaux/copie/", views.week_copy, name="week_copy"),
    path("effecteurs/<int:pk>/creneaux/import/", views.slot_import, name="slot_import"),
    path("creneaux/<int:pk>/annulation/", views.slot_cancel, name="slot_cancel"),
    path("creneaux/<int:pk>/partage/", views.slot_share, name="slot_share"),
    # the CPTS's SNP rota (its coordinator)
    path("cpts/<int:pk>/tour-de-garde/", views.rota, name="rota"),
    path("", include("interurps.sas.regulation.urls")),
    path("", include("interurps.sas.indicators.urls")),
]
