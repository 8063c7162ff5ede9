from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from inventory.selectors import product_list_for_storefront
from oms.pagination import PageNumberPagination


class ProductOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    weight_kg = serializers.DecimalField(max_digits=8, decimal_places=3)
    available = serializers.IntegerField(help_text="On hand minus reserved, over all warehouses.")


class ProductListView(APIView):
    @extend_schema(
        operation_id="products_list",
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter("sku", str, description="Comma-separated SKUs."),
        ],
        responses={200: ProductOutput(many=True)},
    )
    def get(self, request):
        queryset = product_list_for_storefront()
        if skus := request.query_params.get("sku"):
            # PostgreSQL refuses NUL bytes in a query; no SKU contains one anyway.
            queryset = queryset.filter(sku__in=[sku for sku in skus.split(",") if "\x00" not in sku])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(ProductOutput(page, many=True).data)
