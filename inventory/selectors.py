"""Reads of stock shared by the storefront API and the staff dashboard (no writes here)."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from inventory.models import Product, StockItem, StockMovement, Warehouse


def _clean(text: str) -> str:
    """Search text as the database can take it: PostgreSQL refuses NUL bytes in a query."""
    return (text or "").replace("\x00", "").strip()


def _with_available(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Annotate ``available`` = on hand minus reserved, summed over active warehouses."""
    active = Q(stock_items__warehouse__is_active=True)
    return queryset.annotate(
        available=Coalesce(Sum("stock_items__on_hand", filter=active), 0)
        - Coalesce(Sum("stock_items__reserved", filter=active), 0)
    )


def _with_stock(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Also load ``stock``: the product's stock items in active warehouses, warehouse with each."""
    items = StockItem.objects.filter(warehouse__is_active=True).select_related("warehouse")
    return _with_available(queryset).prefetch_related(
        Prefetch("stock_items", queryset=items.order_by("warehouse__priority", "warehouse__code"), to_attr="stock")
    )


def product_list_for_storefront() -> QuerySet[Product]:
    """Active products with ``available`` = on hand minus reserved, summed over active warehouses."""
    return _with_available(Product.objects.filter(is_active=True)).order_by("sku")


def stock_item_list_for_product(*, product_id: int) -> QuerySet[StockItem]:
    return StockItem.objects.filter(product_id=product_id).select_related("warehouse").order_by("warehouse__priority")


def warehouse_list() -> QuerySet[Warehouse]:
    return Warehouse.objects.order_by("priority", "code")


def warehouse_list_for_receipt(*, product_id: int) -> QuerySet[Warehouse]:
    """Where goods of a product can be received: every active warehouse, and inactive ones that already
    stock it (their rows can still be counted up)."""
    return (
        Warehouse.objects.filter(Q(is_active=True) | Q(stock_items__product_id=product_id))
        .distinct()
        .order_by("priority", "code")
    )


def stock_item_bin_changes(*, product_id: int, limit: int = 10) -> list[LogEntry]:
    """Who moved the product's stock rows to other bins, newest first (recorded by ``stock_item_bin_set``)."""
    item_ids = [str(pk) for pk in StockItem.objects.filter(product_id=product_id).values_list("pk", flat=True)]
    return list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(StockItem), object_id__in=item_ids)
        .select_related("user")
        .order_by("-action_time", "-pk")[:limit]
    )


def product_get_by_sku(*, sku: str) -> Product | None:
    sku = _clean(sku)
    return Product.objects.filter(sku=sku).first() if sku else None


def _product_search(queryset: QuerySet, query: str, prefix: str = "") -> QuerySet:
    query = _clean(query)
    if not query:
        return queryset
    return queryset.filter(Q(**{f"{prefix}sku__icontains": query}) | Q(**{f"{prefix}name__icontains": query}))


def product_stock_search(*, query: str, limit: int = 10) -> list[Product]:
    """Products for sale matching ``query`` (SKU or name), each with ``available`` in total and
    ``stock`` per active warehouse, so a page can show both without a query per row."""
    query = _clean(query)
    if not query:
        return []
    queryset = _with_stock(_product_search(Product.objects.filter(is_active=True), query)).order_by("sku")
    # Exact SKU hits first: staff on the phone often read the SKU out.
    return sorted(queryset[:limit], key=lambda p: (p.sku.lower() != query.lower(), p.sku))


def product_list_with_stock(*, skus: list[str]) -> dict[str, Product]:
    """Products by SKU (also those no longer for sale) with ``available`` and ``stock``, for a basket."""
    skus = [sku for sku in (_clean(s) for s in skus) if sku]
    if not skus:
        return {}
    return {p.sku: p for p in _with_stock(Product.objects.filter(sku__in=skus))}


def stock_item_list_for_staff(*, query: str = "", warehouse: str = "") -> QuerySet[StockItem]:
    """Every stock row (product × warehouse) with ``available``, filtered by product text and warehouse code."""
    queryset = StockItem.objects.select_related("product", "warehouse").annotate(
        available_now=F("on_hand") - F("reserved")
    )
    queryset = _product_search(queryset, query, prefix="product__")
    if warehouse := _clean(warehouse):
        queryset = queryset.filter(warehouse__code=warehouse)
    return queryset.order_by("product__sku", "warehouse__priority", "warehouse__code")


def stock_item_list_low(*, warehouse: str = "") -> QuerySet[StockItem]:
    """Stock rows of products for sale, in active warehouses, whose available stock (on hand − reserved)
    is at or below the product's reorder point; most short first."""
    queryset = (
        stock_item_list_for_staff(warehouse=warehouse)
        .filter(product__is_active=True, warehouse__is_active=True)
        .annotate(shortfall=F("product__reorder_point") - F("on_hand") + F("reserved"))
        .filter(shortfall__gte=0)
    )
    return queryset.order_by("-shortfall", "product__sku", "warehouse__priority")


def product_list_low_in_total() -> QuerySet[Product]:
    """Products for sale whose available stock summed over all active warehouses is at or below the
    reorder point; most short first. ``warehouses`` counts the active warehouses that stock it."""
    active = Q(stock_items__warehouse__is_active=True)
    return (
        Product.objects.filter(is_active=True)
        .annotate(
            on_hand_total=Coalesce(Sum("stock_items__on_hand", filter=active), Value(0), output_field=IntegerField()),
            reserved_total=Coalesce(Sum("stock_items__reserved", filter=active), Value(0), output_field=IntegerField()),
        )
        .annotate(available_now=F("on_hand_total") - F("reserved_total"))
        .annotate(shortfall=F("reorder_point") - F("available_now"))
        .filter(shortfall__gte=0)
        .order_by("-shortfall", "sku")
    )


def stock_movement_list_for_product(*, product_id: int, warehouse: str = "") -> QuerySet[StockMovement]:
    """The ledger of one product, newest first, with the warehouse of each movement."""
    queryset = StockMovement.objects.filter(stock_item__product_id=product_id).select_related("stock_item__warehouse")
    if warehouse := _clean(warehouse):
        queryset = queryset.filter(stock_item__warehouse__code=warehouse)
    return queryset.order_by("-created_at", "-pk")
