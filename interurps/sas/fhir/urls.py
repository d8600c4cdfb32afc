from django.urls import path

from interurps.sas.fhir import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Slot", views.slot_search, name="slot_search"),
    path("Appointment", views.appointment_collection, name="appointment"),
    path("Appointment/<str:logical_id>", views.appointment_detail, name="appointment_detail"),
]
