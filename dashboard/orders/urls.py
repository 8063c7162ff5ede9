"""The order desk: home, the order list with its bulk actions, and the order page with its actions."""

from django.urls import path

from dashboard.orders import views

urlpatterns = [
    path("", views.home, name="home"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/bulk/", views.order_bulk, name="order_bulk"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/transition/", views.order_transition, name="order_transition"),
    path("orders/<str:number>/notes/", views.order_note_add_view, name="order_note_add"),
    path("orders/<str:number>/assign/", views.order_assign_view, name="order_assign"),
    path("orders/<str:number>/edit/", views.order_edit, name="order_edit"),
    path("orders/<str:number>/invoice-payment/", views.order_invoice_settle_view, name="order_invoice_settle"),
    path("orders/<str:number>/payment-retry/", views.order_payment_retry_view, name="order_payment_retry"),
    path("orders/<str:number>/inquiries/<int:pk>/answer/", views.order_inquiry_answer, name="order_inquiry_answer"),
]
