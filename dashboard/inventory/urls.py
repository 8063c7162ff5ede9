"""Dashboard pages for stock, under /dashboard/inventory/ (namespace ``dashboard``)."""

from django.urls import path

from dashboard.inventory import views

urlpatterns = [
    path("", views.stock_list, name="stock_list"),
    path("low/", views.stock_low, name="stock_low"),
    path("sku/<str:sku>/", views.stock_ledger, name="stock_ledger"),
    path("sku/<str:sku>/adjust/", views.stock_adjust_view, name="stock_adjust"),
    path("sku/<str:sku>/receive/", views.stock_receive_view, name="stock_receive"),
    path("sku/<str:sku>/bin/", views.stock_bin_view, name="stock_bin"),
]
