"""The order API under /api/v1/: storefront orders, staff transitions, staff tokens, carrier webhooks."""

from django.urls import path

from orders.api import imports, views
from orders.api.webhooks import CarrierWebhookView

urlpatterns = [
    path("orders/", views.OrderListCreateView.as_view(), name="orders"),
    path("orders/import/", imports.OrderImportCreateView.as_view(), name="orders-import"),
    path("imports/<uuid:import_id>/", imports.OrderImportDetailView.as_view(), name="import-detail"),
    path("orders/<str:number>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/lines/", views.OrderLinesView.as_view(), name="order-lines"),
    path("orders/<str:number>/payment/", views.OrderPaymentRetryView.as_view(), name="order-payment"),
    path("orders/<str:number>/transitions/", views.OrderTransitionListView.as_view(), name="order-transitions"),
    path(
        "orders/<str:number>/transitions/<str:name>/",
        views.OrderTransitionView.as_view(),
        name="order-transition",
    ),
    path("orders/<str:number>/pick-list/", views.OrderPickListView.as_view(), name="order-pick-list"),
    path("auth/token/", views.StaffTokenView.as_view(), name="auth-token"),
    path("shipping/webhooks/<str:carrier>/", CarrierWebhookView.as_view(), name="carrier-webhook"),
]
