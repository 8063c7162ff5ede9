"""Concurrent orders never sell the same unit twice, and never deadlock.

Twelve storefront clients order at the same moment through the real HTTP stack (the live server answers
each connection in its own thread, on its own database connection) while fewer units are in stock than
ordered. Exactly as many orders as the stock allows go on; the rest wait on hold as out of stock; every
client gets a 201; the stock rows agree with their ledger.
"""

import copy

import pytest

from inventory.services import stock_receive
from orders.models import HoldReason, LineAllocation, Order, OrderStatus
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 12
UNITS = 5

S = OrderStatus
VERIFIED_OR_LATER = {
    S.VERIFIED,
    S.CREDIT_APPROVED,
    S.PAID,
    S.CONFIRMED,
    S.FULFILLING,
    S.SHIPPED,
    S.IN_TRANSIT,
    S.DELIVERED,
    S.COMPLETED,
}


@pytest.fixture
def stocked(reference_data):
    """``stocked(sku, {warehouse: units, ...})``: a product whose stock arrived through the ledger."""

    def make(sku: str, units_by_warehouse: dict):
        product = ProductFactory(sku=sku, price="10.00", weight_kg="0.500")
        for warehouse, units in units_by_warehouse.items():
            item = StockItemFactory(product=product, warehouse=warehouse, on_hand=0)
            stock_receive(stock_item_id=item.pk, quantity=units, reason="initial stock", actor="test")
        return product

    return make


def _bodies(order_body: dict, lines_for_client) -> list[dict]:
    bodies = []
    for index in range(CLIENTS):
        body = copy.deepcopy(order_body)
        body["customer"] = {"email": f"buyer{index}@example.com", "name": f"Buyer {index}", "phone": ""}
        body["lines"] = lines_for_client(index)
        bodies.append(body)
    return bodies


def _place_all(parallel, http, storefront, bodies: list[dict]):
    auth = f"Bearer {storefront.key}"
    return parallel([http("POST", "/api/v1/orders/", auth=auth, json=body) for body in bodies])


def _assert_outcome(responses, *, expected_on: int) -> list[Order]:
    """Every client got a 201 that tells the order's real state; ``expected_on`` orders went on."""
    problems = [(r.status_code, r.text[:300]) for r in responses if r.status_code != 201]
    assert problems == []
    told = {r.json()["number"]: r.json()["status"] for r in responses}
    orders = list(Order.objects.filter(number__in=told).prefetch_related("lines"))
    assert len(orders) == CLIENTS
    assert {o.number: o.status for o in orders} == told

    going_on = [o for o in orders if o.status in VERIFIED_OR_LATER]
    held = [o for o in orders if o not in going_on]
    assert len(going_on) == expected_on
    assert {(o.status, o.hold_reason) for o in held} == {(S.ON_HOLD, HoldReason.OUT_OF_STOCK)}
    for order in going_on:
        assert all(line.quantity_reserved == line.quantity for line in order.lines.all())
    for order in held:
        assert all(line.quantity_reserved == 0 for line in order.lines.all())
        assert not LineAllocation.objects.filter(line__order=order).exists()
    return going_on


def test_twelve_clients_five_units_sell_exactly_five(
    parallel, http, storefront, order_body, stocked, assert_stock_consistent
):
    # given five mugs in one warehouse
    warehouse = WarehouseFactory(code="MAIN", priority=1)
    mug = stocked("MUG-1", {warehouse: UNITS})

    # when twelve clients each order one at the same moment
    responses = _place_all(parallel, http, storefront, _bodies(order_body, lambda i: [{"sku": "MUG-1", "quantity": 1}]))

    # then five orders go on, seven wait for stock, and the stock row agrees with its ledger
    _assert_outcome(responses, expected_on=UNITS)
    item = mug.stock_items.get()
    assert (item.on_hand, item.reserved) == (UNITS, UNITS)
    assert_stock_consistent()


def test_opposite_line_order_does_not_deadlock(
    parallel, http, storefront, order_body, stocked, assert_stock_consistent
):
    # given two products with five units each
    warehouse = WarehouseFactory(code="MAIN", priority=1)
    mug, cup = stocked("MUG-1", {warehouse: UNITS}), stocked("CUP-1", {warehouse: UNITS})

    # when half the clients list the mug first and the other half the cup first
    def lines(index: int) -> list[dict]:
        pair = [{"sku": "MUG-1", "quantity": 1}, {"sku": "CUP-1", "quantity": 1}]
        return pair if index % 2 == 0 else pair[::-1]

    responses = _place_all(parallel, http, storefront, _bodies(order_body, lines))

    # then nobody deadlocks (every answer is a 201) and exactly five orders get both products
    _assert_outcome(responses, expected_on=UNITS)
    for product in (mug, cup):
        item = product.stock_items.get()
        assert (item.on_hand, item.reserved) == (UNITS, UNITS)
    assert_stock_consistent()


def test_stock_split_over_two_warehouses_is_not_oversold(
    parallel, http, storefront, order_body, stocked, assert_stock_consistent
):
    # given six mugs: three in the preferred warehouse, three in the second
    main = WarehouseFactory(code="MAIN", priority=1)
    overflow = WarehouseFactory(code="OVERFLOW", priority=2)
    mug = stocked("MUG-1", {main: 3, overflow: 3})

    # when twelve clients order two mugs each at the same moment
    responses = _place_all(parallel, http, storefront, _bodies(order_body, lambda i: [{"sku": "MUG-1", "quantity": 2}]))

    # then three orders go on: one from each warehouse and one split over both; every unit is taken once
    going_on = _assert_outcome(responses, expected_on=3)
    allocations = sorted(
        sorted(LineAllocation.objects.filter(line__order=order).values_list("warehouse__code", "quantity"))
        for order in going_on
    )
    assert allocations == [[("MAIN", 1), ("OVERFLOW", 1)], [("MAIN", 2)], [("OVERFLOW", 2)]]
    assert sorted((i.warehouse.code, i.on_hand, i.reserved) for i in mug.stock_items.all()) == [
        ("MAIN", 3, 3),
        ("OVERFLOW", 3, 3),
    ]
    assert_stock_consistent()
