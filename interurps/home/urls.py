from django.urls import path

from interurps.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("a-traiter/<slug:kind>/", views.todo, name="todo"),
]
