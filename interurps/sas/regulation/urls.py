"""Filled by its helper."""

urlpatterns = []
