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

# Transfers between warehouses and cycle counts (names start with stock_ so the Inventory tab stays current).
from dashboard.inventory import counts, transfers  # noqa: E402

urlpatterns += [
    path("transfers/", transfers.transfer_list, name="stock_transfers"),
    path("transfers/new/", transfers.transfer_new, name="stock_transfer_new"),
    path("transfers/<str:number>/", transfers.transfer_detail, name="stock_transfer_detail"),
    path("transfers/<str:number>/receive/", transfers.transfer_receive_view, name="stock_transfer_receive"),
    path("transfers/<str:number>/<str:step>/", transfers.transfer_step, name="stock_transfer_step"),
    path("counts/", counts.count_list, name="stock_counts"),
    path("counts/new/", counts.count_new, name="stock_count_new"),
    path("counts/<str:number>/", counts.count_detail, name="stock_count_detail"),
    path("counts/<str:number>/print/", counts.count_print, name="stock_count_print"),
    path("counts/<str:number>/save/", counts.count_save, name="stock_count_save"),
    path("counts/<str:number>/cancel/", counts.count_cancel, name="stock_count_cancel"),
]
