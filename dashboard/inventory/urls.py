"""Dashboard pages for stock, under /dashboard/inventory/ (namespace ``dashboard``)."""

from django.urls import path

from dashboard.inventory import counts, purchasing, transfers, views

urlpatterns = [
    path("", views.stock_list, name="stock_list"),
    path("low/", views.stock_low, name="stock_low"),
    path("sku/<str:sku>/", views.stock_ledger, name="stock_ledger"),
    path("sku/<str:sku>/adjust/", views.stock_adjust_view, name="stock_adjust"),
    path("sku/<str:sku>/receive/", views.stock_receive_view, name="stock_receive"),
    path("sku/<str:sku>/bin/", views.stock_bin_view, name="stock_bin"),
    # Purchasing: suppliers, purchase orders, reordering (dashboard.inventory.purchasing).
    path("suppliers/", purchasing.supplier_list, name="supplier_list"),
    path("suppliers/new/", purchasing.supplier_new, name="supplier_new"),
    path("suppliers/<int:pk>/", purchasing.supplier_edit, name="supplier_edit"),
    path("purchase-orders/", purchasing.purchase_order_list, name="purchase_order_list"),
    path("purchase-orders/new/", purchasing.purchase_order_new, name="purchase_order_new"),
    path("purchase-orders/<str:number>/", purchasing.purchase_order_detail, name="purchase_order_detail"),
    path("purchase-orders/<str:number>/edit/", purchasing.purchase_order_edit, name="purchase_order_edit"),
    path("purchase-orders/<str:number>/send/", purchasing.purchase_order_send_view, name="purchase_order_send"),
    path(
        "purchase-orders/<str:number>/receive/", purchasing.purchase_order_receive_view, name="purchase_order_receive"
    ),
    path("purchase-orders/<str:number>/cancel/", purchasing.purchase_order_cancel_view, name="purchase_order_cancel"),
    path("purchase-orders/<str:number>/pdf/", purchasing.purchase_order_pdf_view, name="purchase_order_pdf"),
    path("reorder/", purchasing.reorder_view, name="reorder"),
    path("reorder/draft/", purchasing.reorder_draft_view, name="reorder_draft"),
]

# Transfers between warehouses and cycle counts (names start with stock_ so the Inventory tab stays current).

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
