"""The inventory API under /api/v1/: products with their available stock, goods receipts."""

from django.urls import path

from inventory.api.views import ProductListView, ReceiptCreateView

urlpatterns = [
    path("products/", ProductListView.as_view(), name="products"),
    path("inventory/receipts/", ReceiptCreateView.as_view(), name="inventory-receipts"),
]
