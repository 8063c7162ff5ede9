"""Reads of stock shared by the storefront API and the staff dashboard (no writes here)."""

from datetime import date
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.models import (
    PO_OPEN,
    PO_ORDERED,
    CycleCount,
    CycleCountLine,
    CycleCountStatus,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    StockItem,
    StockMovement,
    Supplier,
    Transfer,
    TransferLine,
    TransferStatus,
    Warehouse,
    stock_low_q,
)


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


def _with_is_low(queryset: QuerySet[StockItem]) -> QuerySet[StockItem]:
    """Annotate ``is_low``: the row is at or below its reorder point (``stock_low_q``, the alert's rule)."""
    return queryset.annotate(is_low=ExpressionWrapper(stock_low_q(), output_field=BooleanField()))


def stock_item_list_for_product(*, product_id: int) -> QuerySet[StockItem]:
    return _with_is_low(
        StockItem.objects.filter(product_id=product_id).select_related("warehouse").order_by("warehouse__priority")
    )


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


def _in_transit_to_row():
    """Units of the row's product shipped to the row's warehouse by a transfer and not yet received."""
    shipped = (
        TransferLine.objects.filter(
            product_id=OuterRef("product_id"),
            transfer__to_warehouse_id=OuterRef("warehouse_id"),
            transfer__status=TransferStatus.SHIPPED,
        )
        .order_by()
        .values("product_id")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    return Coalesce(Subquery(shipped, output_field=IntegerField()), Value(0))


def stock_item_list_for_staff(*, query: str = "", warehouse: str = "") -> QuerySet[StockItem]:
    """Every stock row (product × warehouse) with ``available``, filtered by product text and warehouse code."""
    queryset = _with_is_low(StockItem.objects.select_related("product", "warehouse")).annotate(
        available_now=F("on_hand") - F("reserved"), in_transit=_in_transit_to_row()
    )
    queryset = _product_search(queryset, query, prefix="product__")
    if warehouse := _clean(warehouse):
        queryset = queryset.filter(warehouse__code=warehouse)
    return queryset.order_by("product__sku", "warehouse__priority", "warehouse__code")


def stock_item_list_low(*, warehouse: str = "") -> QuerySet[StockItem]:
    """Stock rows of products for sale, in active warehouses, whose available stock (on hand − reserved)
    is at or below the product's reorder point (``stock_low_q``, the rule the alert uses); most short first."""
    queryset = (
        stock_item_list_for_staff(warehouse=warehouse)
        .filter(stock_low_q(), product__is_active=True, warehouse__is_active=True)
        .annotate(shortfall=F("product__reorder_point") - F("on_hand") + F("reserved"))
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


# --- Purchasing: suppliers, purchase orders, what is on order -------------------------------------------------
def supplier_list() -> QuerySet[Supplier]:
    """Every supplier with ``product_count`` (products it supplies by default) and ``open_orders``."""
    return Supplier.objects.annotate(
        product_count=Count("products", distinct=True),
        open_orders=Count("purchase_orders", filter=Q(purchase_orders__status__in=PO_OPEN), distinct=True),
    ).order_by("-is_active", "name")


def supplier_get(*, supplier_id: int) -> Supplier | None:
    return Supplier.objects.filter(pk=supplier_id).first()


def supplier_list_active() -> QuerySet[Supplier]:
    return Supplier.objects.filter(is_active=True).order_by("name")


def _late() -> Q:
    return Q(status__in=PO_OPEN, expected_date__lt=timezone.localdate())


def purchase_order_list_for_staff(*, status: str = "", late_first: bool = False) -> QuerySet[PurchaseOrder]:
    """Purchase orders with supplier and warehouse, ``late`` (past the expected date, goods still to come),
    ``units_ordered``, ``units_received`` and ``total_cost``; newest first, or the late ones first (oldest
    expected date first among them). ``status`` filters by status, or ``late`` for the late ones only."""
    queryset = PurchaseOrder.objects.select_related("supplier", "warehouse").annotate(
        late=Case(When(_late(), then=Value(True)), default=Value(False), output_field=BooleanField()),
        units_ordered=Coalesce(Sum("lines__quantity_ordered"), 0),
        units_received=Coalesce(Sum("lines__quantity_received"), 0),
        total_cost=Coalesce(
            Sum(F("lines__quantity_ordered") * F("lines__unit_cost"), output_field=DecimalField()),
            Value(Decimal("0")),
            output_field=DecimalField(),
        ),
    )
    if status == "late":
        queryset = queryset.filter(_late())
    elif status in PurchaseOrderStatus.values:
        queryset = queryset.filter(status=status)
    if late_first:
        return queryset.order_by("-late", "expected_date", "-pk")
    return queryset.order_by("-created_at", "-pk")


def purchase_order_get(*, number: str) -> PurchaseOrder | None:
    """A purchase order with supplier, warehouse, creator and its lines (each with its product)."""
    number = _clean(number)
    lines = PurchaseOrderLine.objects.select_related("product").order_by("product__sku")
    return (
        PurchaseOrder.objects.select_related("supplier", "warehouse", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(number=number)
        .first()
    )


def purchase_order_history(*, purchase_order: PurchaseOrder) -> list[LogEntry]:
    """Who did what to a purchase order (recorded by ``inventory.purchasing``), oldest first."""
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(PurchaseOrder), object_id=str(purchase_order.pk)
        )
        .select_related("user")
        .order_by("action_time", "pk")
    )


def _outstanding_lines(statuses) -> QuerySet[PurchaseOrderLine]:
    return PurchaseOrderLine.objects.filter(
        purchase_order__status__in=statuses, quantity_received__lt=F("quantity_ordered")
    )


def product_expected_dates(product_ids) -> dict[int, date]:
    """The earliest expected date of the sent purchase orders still bringing units of each product (drafts are
    not promised yet); products with none are left out."""
    rows = (
        _outstanding_lines(PO_ORDERED)
        .filter(product_id__in=list(product_ids))
        .values("product_id")
        .annotate(expected=Min("purchase_order__expected_date"))
    )
    return {row["product_id"]: row["expected"] for row in rows}


def on_order_by_item() -> dict[tuple[int, int], int]:
    """Units still to come per (product id, warehouse id) on open purchase orders, drafts included (so a
    suggestion already drafted is not suggested again)."""
    rows = (
        _outstanding_lines(PO_OPEN)
        .values("product_id", "purchase_order__warehouse_id")
        .annotate(units=Sum(F("quantity_ordered") - F("quantity_received")))
    )
    return {(row["product_id"], row["purchase_order__warehouse_id"]): row["units"] for row in rows}


def purchase_order_last_unit_costs(*, supplier_id: int, product_ids) -> dict[int, Decimal]:
    """The unit cost each product had on its latest purchase order line from this supplier (not cancelled)."""
    costs: dict[int, Decimal] = {}
    rows = (
        PurchaseOrderLine.objects.filter(purchase_order__supplier_id=supplier_id, product_id__in=list(product_ids))
        .exclude(purchase_order__status=PurchaseOrderStatus.CANCELLED)
        .order_by("product_id", "-purchase_order__created_at", "-pk")
        .values_list("product_id", "unit_cost")
    )
    for product_id, unit_cost in rows:
        costs.setdefault(product_id, unit_cost)
    return costs


# --- Transfers and cycle counts ---------------------------------------------------------------------------


def transfer_list(*, status: str = "") -> QuerySet[Transfer]:
    """Transfers newest first, with their warehouses, ``units`` (the lines' total) and ``skus``."""
    queryset = Transfer.objects.select_related("from_warehouse", "to_warehouse", "created_by").annotate(
        units=Coalesce(Sum("lines__quantity"), 0), skus=Count("lines")
    )
    if status in TransferStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def transfer_get(*, number: str) -> Transfer | None:
    """One transfer with its lines (product with each)."""
    lines = TransferLine.objects.select_related("product").order_by("pk")
    return (
        Transfer.objects.select_related("from_warehouse", "to_warehouse", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(number=_clean(number))
        .first()
    )


def transfer_lines_in_transit(*, product_id: int) -> list[TransferLine]:
    """The product's units in transit: lines of shipped transfers not yet received, oldest shipment first."""
    return list(
        TransferLine.objects.filter(product_id=product_id, transfer__status=TransferStatus.SHIPPED)
        .select_related("transfer__from_warehouse", "transfer__to_warehouse")
        .order_by("transfer__shipped_at", "pk")
    )


def product_in_transit_total(*, product_id: int) -> int:
    """Units of the product shipped from one warehouse and not yet received at another."""
    total = TransferLine.objects.filter(product_id=product_id, transfer__status=TransferStatus.SHIPPED).aggregate(
        units=Sum("quantity")
    )["units"]
    return total or 0


def cycle_count_list(*, status: str = "") -> QuerySet[CycleCount]:
    """Count sheets newest first, with ``rows`` and ``counted_rows``."""
    queryset = CycleCount.objects.select_related("warehouse", "created_by", "counted_by").annotate(
        rows=Count("lines"), counted_rows=Count("lines", filter=Q(lines__counted__isnull=False))
    )
    if status in CycleCountStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def cycle_count_get(*, number: str) -> CycleCount | None:
    """One count sheet with its lines sorted by bin (stock row, product and current on hand with each)."""
    lines = CycleCountLine.objects.select_related("stock_item__product").order_by(
        "bin_location", "stock_item__product__sku", "pk"
    )
    return (
        CycleCount.objects.select_related("warehouse", "created_by", "counted_by", "posted_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(number=_clean(number))
        .first()
    )
