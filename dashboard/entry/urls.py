"""Dashboard order entry (namespace ``dashboard``): fixed paths before orders/<number>/."""

from django.urls import path

from dashboard.entry import views

urlpatterns = [
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/new/customers/", views.order_new_customers, name="order_new_customers"),
    path("orders/new/products/", views.order_new_products, name="order_new_products"),
]
