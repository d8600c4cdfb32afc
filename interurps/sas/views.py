"""Effectors, participation and slots (pages)."""

urlpatterns = []
