"""Integrations: every storefront's webhook subscriptions and their deliveries (managers)."""

from django.urls import path

from dashboard.integrations import views

urlpatterns = [
    path("webhooks/", views.subscription_list, name="integrations_webhooks"),
    path("webhooks/new/", views.subscription_create, name="integrations_webhook_new"),
    path("webhooks/<uuid:subscription_id>/", views.subscription_detail, name="integrations_webhook"),
    path("webhooks/<uuid:subscription_id>/disable/", views.subscription_disable, name="integrations_webhook_disable"),
    path("webhooks/<uuid:subscription_id>/enable/", views.subscription_enable, name="integrations_webhook_enable"),
    path("webhooks/<uuid:subscription_id>/delete/", views.subscription_delete, name="integrations_webhook_delete"),
    path(
        "webhooks/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="integrations_delivery_redeliver",
    ),
]
