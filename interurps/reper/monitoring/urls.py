from django.urls import path

from interurps.reper.monitoring import views

# Included by interurps/reper/urls.py under the "reper" namespace, at /reper/.
urlpatterns = [
    path("<str:region_code>/file/", views.my_queue, name="my_queue"),
    path("cpts/<int:pk>/file/", views.cpts_backlog, name="cpts_backlog"),
    path("evaluations/<int:pk>/confier/", views.assessment_assign, name="assessment_assign"),
    path("<str:region_code>/indicateurs/", views.indicators, name="indicators"),
    path("<str:region_code>/indicateurs/carte/", views.indicators_map, name="indicators_map"),
    path("<str:region_code>/export/", views.evaluation_export, name="evaluation_export"),
]
