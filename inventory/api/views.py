"""The inventory API under /api/v1/: the catalogue with available stock, and staff goods receipts."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory.selectors import product_list_for_storefront
from inventory.services import stock_receipt_book
from oms.authentication import StorefrontUser
from oms.idempotency import HEADER, idempotent_post
from oms.pagination import PageNumberPagination

MAX_RECEIPT_QUANTITY = 1_000_000


class ProductOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    weight_kg = serializers.DecimalField(max_digits=8, decimal_places=3)
    available = serializers.IntegerField(help_text="On hand minus reserved, over all warehouses.")


class StorefrontOrStockStaff(permissions.BasePermission):
    """A storefront, or staff whose role may see stock (``inventory.view_stockitem``, as the stock pages)."""

    message = "A storefront, or staff whose role may see stock, only."

    def has_permission(self, request, view):
        user = request.user
        if isinstance(user, StorefrontUser):
            return True
        return bool(user and user.is_staff and user.has_perm("inventory.view_stockitem"))


class ProductListView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorefrontOrStockStaff]

    @extend_schema(
        operation_id="products_list",
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter("sku", str, description="Comma-separated SKUs."),
        ],
        responses={200: ProductOutput(many=True)},
        description="For storefronts, and for staff whose role may see stock (order desk, warehouse, manager).",
    )
    def get(self, request):
        queryset = product_list_for_storefront()
        if skus := request.query_params.get("sku"):
            # PostgreSQL refuses NUL bytes in a query; no SKU contains one anyway.
            queryset = queryset.filter(sku__in=[sku for sku in skus.split(",") if "\x00" not in sku])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(ProductOutput(page, many=True).data)


# --- goods receipts ------------------------------------------------------------------------------------
class MayReceiveStock(permissions.BasePermission):
    """Staff whose role may book goods receipts (``inventory.receive_stock``); never a storefront."""

    message = "Staff who may book goods receipts only."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_staff and user.has_perm("inventory.receive_stock"))


class ReceiptLineInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_RECEIPT_QUANTITY)


class ReceiptInput(serializers.Serializer):
    warehouse = serializers.CharField(max_length=20, help_text="The receiving warehouse's code.")
    reference = serializers.CharField(max_length=100, help_text="The delivery note or purchase order number.")
    lines = ReceiptLineInput(many=True, allow_empty=False, max_length=500)


class ReceiptLineOutput(serializers.Serializer):
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    on_hand = serializers.IntegerField(help_text="The warehouse's units on hand once the receipt is booked.")
    available = serializers.IntegerField(
        help_text="On hand minus reserved once the receipt is booked, before waiting orders take their share."
    )


class ReceiptOutput(serializers.Serializer):
    warehouse = serializers.CharField()
    reference = serializers.CharField()
    lines = ReceiptLineOutput(many=True)
    received_at = serializers.DateTimeField()


class StockErrorOutput(serializers.Serializer):
    """The same shape as the orders API's errors (a code and a sentence); inventory does not import orders."""

    code = serializers.CharField()
    detail = serializers.CharField()


class ReceiptCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated, MayReceiveStock]

    @extend_schema(
        operation_id="inventory_receipts_create",
        request=ReceiptInput,
        parameters=[
            OpenApiParameter(
                HEADER,
                str,
                OpenApiParameter.HEADER,
                description="Retries with the same key and body return the first answer.",
            )
        ],
        description="Book a delivery into a warehouse: every line or none. Each line is a 'receipt' movement "
        "in the stock ledger with the reference; orders waiting for the products (backorders, orders held "
        "out of stock) get the units automatically. Staff with the receive_stock permission only.",
        responses={
            201: ReceiptOutput,
            400: OpenApiResponse(
                {"type": "object", "additionalProperties": True},
                description='Bad input, by field and line, e.g. {"lines": {"1": {"sku": ["Unknown SKU \'X\'."]}}}.',
            ),
            401: StockErrorOutput,
            403: StockErrorOutput,
            409: StockErrorOutput,
        },
    )
    def post(self, request):
        return idempotent_post(request, owner=f"user:{request.user.pk}", handler=lambda: self._receive(request))

    def _receive(self, request) -> Response:
        data = ReceiptInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        warehouse, lines = stock_receipt_book(
            warehouse_code=v["warehouse"],
            reference=v["reference"],
            lines=[(line["sku"], line["quantity"]) for line in v["lines"]],
            actor=request.user.get_username(),
        )
        body = {"warehouse": warehouse.code, "reference": v["reference"], "lines": lines, "received_at": timezone.now()}
        return Response(ReceiptOutput(body).data, status=status.HTTP_201_CREATED)
