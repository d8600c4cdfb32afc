from django.urls import path

from interurps.professionals import views

app_name = "professionals"

urlpatterns = [
    path("professionnels/", views.professional_list, name="list"),
    path("professionnels/<int:pk>/", views.professional_detail, name="detail"),
]
