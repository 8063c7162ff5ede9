"""The reports API under /api/v1/reports/ (staff tokens with the view_reports permission)."""

from django.urls import path

from reporting.api import views

urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="reports-summary"),
    path("timeseries/", views.TimeseriesView.as_view(), name="reports-timeseries"),
    path("orders.csv", views.OrdersCsvView.as_view(), name="reports-orders-csv"),
]
