"""Order import pages (namespace ``dashboard``)."""

from django.urls import path

from dashboard.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/upload/", views.import_upload, name="import_upload"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<uuid:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:import_id>/start/", views.import_start, name="import_start"),
    path("imports/<uuid:import_id>/progress/", views.import_progress, name="import_progress"),
]
