"""An order the warehouses cannot serve waits on hold, reserving nothing, until stock arrives."""

import pytest

from inventory.models import StockItem, StockMovement
from inventory.services import stock_receive
from orders.models import LineAllocation, Order
from payments.models import GatewayTransaction
from tests.factories import StockItemFactory


@pytest.fixture
def short_order(api, mug, order_body, commit):
    """An order for 60 mugs when 50 are in stock."""
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 60}]
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 201
    return Order.objects.get(number=response.json()["number"])


def test_order_larger_than_stock_is_held_out_of_stock_with_nothing_reserved(short_order, mug, mailoutbox):
    # then
    assert (short_order.status, short_order.hold_reason, short_order.held_from) == ("on_hold", "out_of_stock", "placed")
    assert "MUG-1 (short 10)" in short_order.hold_note
    assert StockItem.objects.get(product=mug).reserved == 0
    assert not StockMovement.objects.filter(reference=short_order.number).exists()
    assert not LineAllocation.objects.filter(line__order=short_order).exists()
    assert short_order.lines.get().quantity_reserved == 0
    assert not GatewayTransaction.objects.filter(payment__order=short_order).exists()
    assert mailoutbox == []


def test_one_short_line_reserves_nothing_for_the_other_lines(api, mug, order_body, commit):
    # given a second product with plenty of stock
    StockItemFactory(product__sku="BOWL-1", warehouse=mug.stock_items.get().warehouse, on_hand=100)
    order_body["lines"] = [{"sku": "BOWL-1", "quantity": 3}, {"sku": "MUG-1", "quantity": 51}]

    # when
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")

    # then
    assert response.json()["status"] == "on_hold"
    assert list(StockItem.objects.values_list("reserved", flat=True)) == [0, 0]
    assert StockMovement.objects.count() == 0


def test_release_after_restock_runs_verification_again(short_order, mug, staff_api, commit, mailoutbox):
    # given the missing units arrive
    stock_receive(stock_item_id=mug.stock_items.get().pk, quantity=20, reason="delivery from supplier")
    staff = staff_api("order desk")

    # when
    with commit():
        response = staff.post(f"/api/v1/orders/{short_order.number}/transitions/release/", format="json")

    # then
    assert response.status_code == 200
    short_order.refresh_from_db()
    assert (short_order.status, short_order.hold_reason) == ("confirmed", "")
    assert StockItem.objects.get(product=mug).reserved == 60
    assert short_order.lines.get().quantity_reserved == 60
    steps = list(short_order.events.exclude(to_status="").values_list("from_status", "to_status", "actor"))
    assert steps[-5:] == [
        ("on_hold", "placed", staff.user.username),
        ("placed", "verified", "system"),
        ("verified", "credit_approved", "system"),
        ("credit_approved", "paid", "system"),
        ("paid", "confirmed", "system"),
    ]
    assert [m.subject for m in mailoutbox] == [f"Order {short_order.number} confirmed"]


def test_release_without_restock_puts_the_order_back_on_hold(short_order, mug, staff_api):
    # when
    response = staff_api("order desk").post(f"/api/v1/orders/{short_order.number}/transitions/release/", format="json")

    # then
    assert response.status_code == 200
    short_order.refresh_from_db()
    assert (short_order.status, short_order.hold_reason) == ("on_hold", "out_of_stock")
    assert StockItem.objects.get(product=mug).reserved == 0
    assert short_order.events.filter(to_status="on_hold").count() == 2


def test_stock_of_an_inactive_warehouse_is_not_reserved(api, mug, order_body, commit):
    # given the only warehouse with enough mugs is closed
    from tests.factories import WarehouseFactory

    closed = WarehouseFactory(code="CLOSED", is_active=False)
    StockItemFactory(product=mug, warehouse=closed, on_hand=500)
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 60}]

    # when
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")

    # then
    assert (response.json()["status"], response.json()["hold_reason"]) == ("on_hold", "out_of_stock")
    assert StockItem.objects.get(warehouse=closed).reserved == 0
