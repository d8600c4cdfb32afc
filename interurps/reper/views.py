"""People, screenings, assessments and plans (pages)."""

urlpatterns = []
