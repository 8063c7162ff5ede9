"""The payments API under /api/v1/: the payment provider's webhook."""

from django.urls import path

from payments.api.views import StripeWebhookView

urlpatterns = [
    path("payments/webhooks/stripe/", StripeWebhookView.as_view(), name="stripe-webhook"),
]
