"""Finance's actions on an order; mark paid goes through the order page's transition URL (``dashboard.orders``)."""

from django.urls import path

from dashboard.finance import views

urlpatterns = [
    path("orders/<str:number>/invoice-payment/", views.order_invoice_settle_view, name="order_invoice_settle"),
    path("orders/<str:number>/payment-retry/", views.order_payment_retry_view, name="order_payment_retry"),
]
