"""Reads shared by the API, pages and reports."""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, QuerySet

from inventory.selectors import product_expected_dates
from orders.exceptions import OrderNotFound
from orders.models import LineAllocation, Order, OrderEvent
from shipping.models import Shipment, TrackingEvent


def _visible_to(queryset: QuerySet[Order], *, storefront=None, user=None) -> QuerySet[Order]:
    """A storefront sees its own orders; staff see all; anyone else none."""
    if storefront is not None:
        return queryset.filter(storefront=storefront)
    if user is not None and user.is_staff:
        return queryset
    return queryset.none()


def order_list_for_api(*, storefront=None, user=None, status: str | None = None, updated_since=None) -> QuerySet[Order]:
    queryset = _visible_to(Order.objects.all(), storefront=storefront, user=user)
    if status:
        queryset = queryset.filter(status__in=status.split(","))
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=updated_since)
    return queryset.select_related("customer", "shipping_address", "billing_address").prefetch_related("lines")


def order_get_for_api(*, number: str, storefront=None, user=None, detail: bool = True) -> Order:
    queryset = _visible_to(Order.objects.all(), storefront=storefront, user=user).select_related(
        "customer", "shipping_address", "billing_address"
    )
    queryset = queryset.prefetch_related("lines")
    if detail:
        queryset = queryset.prefetch_related(
            Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk")),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("pk").prefetch_related(
                    Prefetch("events", queryset=TrackingEvent.objects.order_by("occurred_at", "pk"))
                ),
            ),
        )
    # A NUL byte cannot be in any order number, and PostgreSQL refuses it in a query.
    order = None if "\x00" in number else queryset.filter(number=number.upper()).first()
    if order is None:
        raise OrderNotFound(f"No order {number}.")
    return order


def pick_list_for_order(*, order: Order) -> list[dict]:
    """What to pick, per warehouse, in bin order: [{warehouse, items: [{sku, name, quantity, bin}]}]."""
    allocations = (
        LineAllocation.objects.filter(line__order=order, is_released=False)
        .select_related("line", "warehouse", "stock_item")
        .order_by("warehouse__priority", "warehouse__code", "stock_item__bin_location", "line__sku")
    )
    grouped: dict[str, list[dict]] = defaultdict(list)
    for allocation in allocations:
        grouped[allocation.warehouse.code].append(
            {
                "sku": allocation.line.sku,
                "name": allocation.line.name,
                "quantity": allocation.quantity,
                "bin": allocation.stock_item.bin_location,
                "shipped": allocation.is_shipped,
            }
        )
    return [{"warehouse": code, "items": items} for code, items in grouped.items()]


def order_get_for_customer(*, number: str) -> Order:
    """An order with what its customer may see: lines, shipments with their tracking events."""
    order = (
        Order.objects.select_related("customer", "shipping_address")
        .prefetch_related(
            "lines",
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("pk").prefetch_related(
                    Prefetch("events", queryset=TrackingEvent.objects.order_by("-occurred_at", "-pk"))
                ),
            ),
        )
        .filter(number=number)
        .first()
    )
    if order is None:
        raise OrderNotFound(f"No order {number}.")
    return order


def lines_expected_dates(*, lines) -> dict[int, date]:
    """When the backordered units of ``lines`` are expected, by line id: the earliest expected date of the sent
    purchase orders still bringing the product (``inventory.selectors.product_expected_dates``). Lines with
    nothing backordered, or no purchase order on the way, are left out; no query when nothing is backordered."""
    waiting = [line for line in lines if line.quantity_backordered]
    if not waiting:
        return {}
    dates = product_expected_dates({line.product_id for line in waiting})
    return {line.pk: dates[line.product_id] for line in waiting if line.product_id in dates}
