"""Orders that ship in parts, built in the states the backorder helper's code leaves them in.

``partial_order`` places an order with enough stock, then gives back part of its reservation as if the stock
had not been there (the units become backordered); ``stock_arrives`` reserves more of a line as the automatic
allocation does when stock comes in. Both move stock only through the ledger.
"""

from decimal import Decimal

import pytest
from django.db import transaction

from inventory.models import Product
from inventory.services import StockRequest, stock_release, stock_reserve
from orders.models import LineAllocation, Order, OrderLine
from orders.services import ParcelInput, order_pack_and_ship, order_transition
from tests.factories import ProductFactory, StaffFactory, StockItemFactory


@pytest.fixture(autouse=True)
def _allocation_by_hand(settings):
    """These tests set each line's reserved and backordered units themselves (``backorder``, ``stock_arrives``)
    on a shelf with plenty of stock: the automatic allocation, which would hand the shelf's units to the
    backorders as soon as a release commits (browser tests commit for real), stays out of their way. It has its
    own tests in tests/orders/backorders/."""
    settings.OMS_STOCK_ARRIVED_TASKS = []


@pytest.fixture
def shelf(warehouse):
    """Three products in MAIN, priced so tax shares round: 19.99 (0.3 kg), 7.25 (1.1 kg), 3.33 (0.2 kg)."""
    products = {}
    for sku, name, price, weight in (
        ("PS-CUP", "Tea Cup", "19.99", "0.300"),
        ("PS-POT", "Tea Pot", "7.25", "1.100"),
        ("PS-TIN", "Tea Tin", "3.33", "0.200"),
    ):
        product = ProductFactory(sku=sku, name=name, price=Decimal(price), weight_kg=Decimal(weight))
        StockItemFactory(product=product, warehouse=warehouse, on_hand=40)
        products[sku] = product
    return products


@pytest.fixture
def clerk(db):
    return StaffFactory(role="manager", username="pat")


def backorder(order: Order, sku: str, units: int) -> None:
    """``units`` of the line for ``sku`` were not in stock at placement: their reservation is given back
    (through the ledger) and they wait as backordered."""
    with transaction.atomic():
        line = OrderLine.objects.select_for_update().get(order=order, sku=sku)
        allocation = LineAllocation.objects.filter(line=line, is_released=False, is_shipped=False).latest("pk")
        assert allocation.quantity >= units
        stock_release(allocations=[(allocation.stock_item_id, units)], reference=order.number, reason="test backorder")
        if allocation.quantity == units:
            allocation.delete()
        else:
            LineAllocation.objects.filter(pk=allocation.pk).update(quantity=allocation.quantity - units)
        line.quantity_reserved -= units
        line.quantity_backordered += units
        line.save(update_fields=["quantity_reserved", "quantity_backordered"])


def stock_arrives(order: Order, sku: str, units: int) -> None:
    """Stock came in: ``units`` of the backordered line for ``sku`` are reserved (the ledger) and allocated."""
    with transaction.atomic():
        line = OrderLine.objects.select_for_update().get(order=order, sku=sku)
        product = Product.objects.get(sku=sku)
        allocations = stock_reserve(requests=[StockRequest(line.pk, product.pk, units)], reference=order.number)
        LineAllocation.objects.bulk_create(
            LineAllocation(line=line, stock_item_id=a.stock_item_id, warehouse_id=a.warehouse_id, quantity=a.quantity)
            for a in allocations
        )
        line.quantity_reserved += units
        line.quantity_backordered -= units
        line.save(update_fields=["quantity_reserved", "quantity_backordered"])


@pytest.fixture
def partial_order(order_in_state, clerk, commit):
    """``partial_order(lines=[(sku, ordered, in_stock)], ship_partial=True, start=True)``: a confirmed order of
    which only ``in_stock`` units of each line are reserved, the rest backordered; started (fulfilling) unless
    ``start=False``."""

    def make(lines, *, ship_partial: bool = True, start: bool = True, **fields) -> Order:
        order = order_in_state("confirmed", lines=[(sku, ordered) for sku, ordered, _ in lines], **fields)
        for sku, ordered, in_stock in lines:
            if ordered > in_stock:
                backorder(order, sku, ordered - in_stock)
        Order.objects.filter(pk=order.pk).update(ship_partial=ship_partial)
        if start:
            with commit():
                order_transition(order_id=order.pk, name="start_fulfillment", user=clerk)
        return Order.objects.get(pk=order.pk)

    return make


def to_ship(order: Order) -> dict[str, int]:
    """SKU → units reserved and not shipped yet (what a packer sees on the pack page)."""
    units: dict[str, int] = {}
    for a in LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False).select_related(
        "line"
    ):
        units[a.line.sku] = units.get(a.line.sku, 0) + a.quantity
    return units


@pytest.fixture
def ship_available(clerk, warehouse, commit):
    """``ship_available(order)``: the packer packs what can ship now in one parcel and ships it (labels and
    captures run after commit)."""

    def ship(order: Order, *, user=None) -> Order:
        packed = list(
            LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False).values_list(
                "pk", flat=True
            )
        )
        with commit():
            order_pack_and_ship(
                order_id=order.pk,
                user=user or clerk,
                parcels=[ParcelInput(warehouse_id=warehouse.pk, weight_kg=Decimal("1.5"), contents=to_ship(order))],
                service="standard",
                packed=packed,
            )
        return Order.objects.get(pk=order.pk)

    return ship


def shipped_by_line(order: Order) -> dict[str, tuple[int, int, int]]:
    """SKU → (reserved, shipped, backordered)."""
    return {
        sku: (reserved, shipped, backordered)
        for sku, reserved, shipped, backordered in order.lines.values_list(
            "sku", "quantity_reserved", "quantity_shipped", "quantity_backordered"
        )
    }
