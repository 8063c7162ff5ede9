"""Orders changed after placement: a small catalog, confirmed orders placed through the service, and the check
that the stock ledger, the allocations and the lines agree."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from inventory.models import StockItem
from orders.models import LineAllocation, Order
from tests.factories import OrderFactory, ProductFactory, StockItemFactory
from tests.webhooks.conftest import allow_private, receiver, subscribe  # noqa: F401 - a real receiver


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_cache):
    """No rate-limit counts left over from another test."""


@pytest.fixture
def catalog(warehouse):
    """MUG-1 12.50 (50 in stock), TEE-1 20.00 (10), CAP-1 8.00 (3), all weighing nothing: shipping is the
    standard flat 4.95 and no tax applies to DE."""
    stock = {}
    for sku, price, on_hand in (("MUG-1", "12.50", 50), ("TEE-1", "20.00", 10), ("CAP-1", "8.00", 3)):
        product = ProductFactory(sku=sku, name=sku.title(), price=Decimal(price), weight_kg=Decimal("0"))
        stock[sku] = StockItemFactory(product=product, warehouse=warehouse, on_hand=on_hand)
    return stock


@pytest.fixture
def confirmed(catalog, commit):
    """``confirmed(lines=[("MUG-1", 2)], **order_fields)``: an order placed and taken to confirmed."""

    def make(lines=(("MUG-1", 2), ("TEE-1", 1)), **fields) -> Order:
        with commit():
            order = OrderFactory(lines=list(lines), **fields)
        order = Order.objects.get(pk=order.pk)
        assert order.status == "confirmed", (order.status, order.hold_reason, order.hold_note)
        return order

    return make


def lines_of(order) -> dict[str, int]:
    return dict(Order.objects.get(pk=order.pk).lines.values_list("sku", "quantity"))


def change_note(order, verb: str = "Lines changed") -> str:
    """The note of the order's latest change of its lines."""
    return order.events.filter(note__startswith=verb).order_by("-pk").values_list("note", flat=True).first()


def reserved_of(sku: str) -> int:
    return StockItem.objects.get(product__sku=sku).reserved


def assert_stock_matches_lines(*orders, partial: bool = False) -> None:
    """Each line's reserved count is what its open allocations hold (all of the line unless ``partial``), and
    each stock row's reserved units are exactly the open allocations on it."""
    for order in orders:
        for line in Order.objects.get(pk=order.pk).lines.all():
            held = line.allocations.filter(is_released=False, is_shipped=False).aggregate(n=Sum("quantity"))["n"] or 0
            assert held == line.quantity_reserved, (line.sku, held, line.quantity_reserved)
            if partial:
                assert line.quantity_reserved + line.quantity_backordered == line.quantity, line.sku
            else:
                assert (line.quantity_reserved, line.quantity_backordered) == (line.quantity, 0), line.sku
    for item in StockItem.objects.all():
        held = LineAllocation.objects.filter(stock_item=item, is_released=False, is_shipped=False).aggregate(
            n=Sum("quantity")
        )["n"]
        assert item.reserved == (held or 0), (item.product.sku, item.reserved, held)


def assert_totals_match_lines(order) -> None:
    order = Order.objects.get(pk=order.pk)
    lines = list(order.lines.all())
    assert order.subtotal == sum((line.line_total for line in lines), Decimal("0"))
    for line in lines:
        assert line.line_total == line.unit_price * line.quantity
    assert order.total == order.subtotal + order.shipping_total + order.tax_total
