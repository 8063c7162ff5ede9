"""Allocation under real concurrency (PostgreSQL, threads with their own connections): a receipt racing
placements of the same product, and two allocation runs at once, never give a unit twice."""

import pytest
from django.db.models import Sum

from inventory.models import StockItem
from inventory.services import stock_receipt_book, stock_receive
from orders.models import Order, OrderLine
from orders.services.backorders import backorders_allocate
from tests.factories import OrderFactory, ProductFactory, StockItemFactory, WarehouseFactory
from tests.orders.concurrency.conftest import _assert_stock_consistent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lamp(postgres_only, reference_data):
    """LAMP-1 in warehouse MAIN, ``units`` of it received through the ledger."""
    product = ProductFactory(sku="LAMP-1", price="30.00")
    item = StockItemFactory(product=product, warehouse=WarehouseFactory(code="MAIN"), on_hand=0)

    def receive(units: int) -> None:
        stock_receive(stock_item_id=item.pk, quantity=units, reason="initial stock", actor="test")

    product.receive = receive
    return product


def _assert_lines_consistent() -> None:
    """Every line: reserved + backordered = ordered, reserved = what its live allocations hold; the stock row
    reserves exactly what the lines do."""
    for line in OrderLine.objects.exclude(order__status="cancelled"):
        held = line.allocations.filter(is_released=False).aggregate(total=Sum("quantity"))["total"] or 0
        assert line.quantity_reserved + line.quantity_backordered == line.quantity, line
        assert line.quantity_reserved == held, line
    item = StockItem.objects.get()
    assert item.reserved == OrderLine.objects.aggregate(total=Sum("quantity_reserved"))["total"]


def test_a_receipt_racing_placements_never_over_allocates(lamp, parallel):
    # given 4 lamps in stock
    lamp.receive(4)

    # when six customers order 3 each (shipping in parts) while 10 more are received
    calls = [
        lambda n=n: OrderFactory(customer_email=f"c{n}@example.com", lines=[("LAMP-1", 3)], ship_partial=True)
        for n in range(6)
    ]
    calls.append(lambda: stock_receipt_book(warehouse_code="MAIN", reference="PO-RACE", lines=[("LAMP-1", 10)]))
    results = parallel(calls)

    # then every order was taken, 14 of the 18 lamps are reserved and none twice
    assert all(isinstance(r, Order) for r in results[:6])
    item = StockItem.objects.get()
    assert (item.on_hand, item.reserved) == (14, 14)
    assert OrderLine.objects.aggregate(total=Sum("quantity_backordered"))["total"] == 4
    _assert_lines_consistent()
    _assert_stock_consistent()


def test_two_allocation_runs_at_once_serve_each_order_once(lamp, parallel, settings):
    # given an order waiting whole for 2 lamps and four shipping in parts waiting for 3 each, none in stock
    whole = OrderFactory(customer_email="whole@example.com", lines=[("LAMP-1", 2)], ship_partial=False)
    parts = [
        OrderFactory(customer_email=f"p{n}@example.com", lines=[("LAMP-1", 3)], ship_partial=True) for n in range(4)
    ]
    assert Order.objects.get(pk=whole.pk).status == "on_hold"
    # and 10 lamps come in while the arrival's own task is switched off
    settings.OMS_STOCK_ARRIVED_TASKS = []
    lamp.receive(10)

    # when two allocation runs start at the same moment
    served = parallel([lambda: backorders_allocate(product_ids=[lamp.pk])] * 2)

    # then each order was served once, in priority order (the oldest first), and no lamp twice
    assert sum(served) == 4
    whole = Order.objects.get(pk=whole.pk)
    assert whole.status == "confirmed"
    assert whole.events.filter(from_status="on_hold", to_status="placed").count() == 1
    reserved = [OrderLine.objects.get(order=o).quantity_reserved for o in parts]
    assert reserved == [3, 3, 2, 0]
    for order in parts[:3]:
        assert order.events.filter(note__startswith="Backorder allocated").count() == 1
    _assert_lines_consistent()
    _assert_stock_consistent()
