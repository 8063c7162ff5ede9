"""The webhook subscriptions API under /api/v1/webhooks/."""

from django.urls import path

from webhooks.api import views

urlpatterns = [
    path("webhooks/", views.SubscriptionListCreateView.as_view(), name="webhooks"),
    path("webhooks/<str:subscription_id>/", views.SubscriptionDetailView.as_view(), name="webhook-detail"),
    path(
        "webhooks/<str:subscription_id>/deliveries/",
        views.DeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
]
