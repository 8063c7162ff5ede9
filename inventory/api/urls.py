"""The catalogue API under /api/v1/: products with their available stock."""

from django.urls import path

from inventory.api.views import ProductListView

urlpatterns = [
    path("products/", ProductListView.as_view(), name="products"),
]
