"""The reports API under /api/v1/reports/ (staff tokens with the view_reports permission)."""

urlpatterns: list = []
