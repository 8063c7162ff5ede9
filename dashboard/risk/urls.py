"""Fraud review pages (namespace ``dashboard``)."""

from django.urls import path

from dashboard.risk import views

urlpatterns = [
    path("risk/", views.risk_queue, name="risk_queue"),
    path("risk/settings/", views.risk_settings, name="risk_settings"),
    path("risk/settings/rules/", views.risk_rules_save, name="risk_rules_save"),
    path("risk/settings/deny/", views.risk_deny_add, name="risk_deny_add"),
    path("risk/settings/deny/<int:entry_id>/remove/", views.risk_deny_remove, name="risk_deny_remove"),
    path("risk/<str:number>/", views.risk_review, name="risk_review"),
    path("risk/<str:number>/approve/", views.risk_approve, name="risk_approve"),
    path("risk/<str:number>/reject/", views.risk_reject, name="risk_reject"),
]
