"""Finance's actions on an order (mark paid goes through the order page's transition URL, ``dashboard.orders``),
the invoice PDF, and finance's lists: orders awaiting funds, the ageing of open invoices."""

from django.urls import path

from dashboard.finance import views

urlpatterns = [
    path("orders/<str:number>/invoice-payment/", views.order_invoice_settle_view, name="order_invoice_settle"),
    path("orders/<str:number>/payment-retry/", views.order_payment_retry_view, name="order_payment_retry"),
    path("orders/<str:number>/invoice.pdf", views.order_invoice_pdf_view, name="order_invoice_pdf"),
    path("finance/awaiting-funds/", views.awaiting_funds_list, name="finance_awaiting_funds"),
    path("finance/ageing/", views.invoice_ageing_view, name="finance_ageing"),
]
