"""Dashboard pages for stock, under /dashboard/inventory/ (namespace ``dashboard``)."""

from django.urls import path

from dashboard.inventory import purchasing, views

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
