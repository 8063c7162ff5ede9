"""Stock arriving goes to the orders waiting for it without anyone noticing: backorders are reserved, and an
order held out of stock is released and carries on to confirmed once all of it can be reserved."""

import pytest

from inventory.models import StockItem, StockMovement
from orders.models import LineAllocation, OrderEvent
from orders.tasks import backorders_allocate_task
from tests.orders.backorders.conftest import waiting
from tests.orders.concurrency.conftest import _assert_stock_consistent

RECEIPTS = "/api/v1/inventory/receipts/"


@pytest.fixture
def receive(staff_api, commit):
    """``receive(sku, quantity)``: a warehouse clerk books a delivery into MAIN through the API."""
    clerk = staff_api("warehouse")

    def post(sku: str, quantity: int, reference: str = "PO-1"):
        with commit():
            response = clerk.post(
                RECEIPTS,
                {"warehouse": "MAIN", "reference": reference, "lines": [{"sku": sku, "quantity": quantity}]},
                format="json",
            )
        assert response.status_code == 201, response.content
        return response

    return post


def _allocation_notes(order) -> list[str]:
    return list(order.events.filter(note__startswith="Backorder allocated").values_list("note", flat=True))


def test_a_receipt_reserves_the_backordered_units(place, lamp, receive):
    # given an order shipping in parts waits for 3 lamps
    order = place([("LAMP-1", 8)], ship_partial=True).order
    assert waiting(order) == [("LAMP-1", 8, 5, 3)]

    # when 10 lamps arrive
    receive("LAMP-1", 10)

    # then the order has all 8, the other 7 are free
    assert waiting(order) == [("LAMP-1", 8, 8, 0)]
    item = StockItem.objects.get(product=lamp)
    assert (item.on_hand, item.reserved) == (15, 8)
    assert _allocation_notes(order) == ["Backorder allocated: LAMP-1 3 reserved, 0 still backordered"]
    assert sum(LineAllocation.objects.filter(line__order=order).values_list("quantity", flat=True)) == 8
    assert list(
        StockMovement.objects.filter(reference=order.number).order_by("pk").values_list("kind", "reserved_delta")
    ) == [("reserve", 5), ("reserve", 3)]
    _assert_stock_consistent()


def test_a_small_receipt_serves_what_it_can(place, lamp, receive):
    order = place([("LAMP-1", 8)], ship_partial=True).order
    receive("LAMP-1", 2)
    assert waiting(order) == [("LAMP-1", 8, 7, 1)]
    assert _allocation_notes(order) == ["Backorder allocated: LAMP-1 2 reserved, 1 still backordered"]
    _assert_stock_consistent()


def test_an_order_waiting_whole_is_released_and_confirmed(place, lamp, receive, mailoutbox):
    # given an order that may not ship in parts is held for want of 3 lamps
    order = place([("LAMP-1", 8)], ship_partial=False).order
    assert (order.status, order.hold_reason) == ("on_hold", "out_of_stock")
    mailoutbox.clear()

    # when the lamps arrive
    receive("LAMP-1", 3)

    # then it is released by the system and runs on to confirmed, all of it reserved
    order.refresh_from_db()
    assert (order.status, order.hold_reason, order.payment_status) == ("confirmed", "", "authorized")
    assert waiting(order) == [("LAMP-1", 8, 8, 0)]
    steps = list(order.events.exclude(to_status="").values_list("from_status", "to_status", "actor"))
    assert steps[-5:] == [
        ("on_hold", "placed", "system"),
        ("placed", "verified", "system"),
        ("verified", "credit_approved", "system"),
        ("credit_approved", "paid", "system"),
        ("paid", "confirmed", "system"),
    ]
    assert order.events.get(from_status="on_hold").note == "Stock arrived: the whole order can be reserved"
    assert [m.subject for m in mailoutbox if m.subject.startswith("Order")] == [f"Order {order.number} confirmed"]
    _assert_stock_consistent()


def test_an_order_waiting_whole_stays_held_while_part_is_missing(place, lamp, receive):
    # given
    order = place([("LAMP-1", 8)], ship_partial=False).order
    events = order.events.count()

    # when only 2 of the 3 missing lamps arrive
    receive("LAMP-1", 2)

    # then nothing changes for it: still held, nothing reserved, nothing on its timeline
    order.refresh_from_db()
    assert (order.status, order.hold_reason) == ("on_hold", "out_of_stock")
    assert waiting(order) == [("LAMP-1", 8, 0, 8)]
    assert order.events.count() == events
    assert StockItem.objects.get(product=lamp).reserved == 0


def test_staff_can_still_release_an_order_held_out_of_stock(place, lamp, staff_api, commit):
    # given a held order whose stock arrived while the automatic allocation was switched off
    order = place([("LAMP-1", 8)], ship_partial=False).order
    StockItem.objects.filter(product=lamp).update(on_hand=8)

    # when staff release it
    with commit():
        response = staff_api("order desk").post(f"/api/v1/orders/{order.number}/transitions/release/", format="json")

    # then it is verified again and goes on
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "confirmed"
    assert waiting(order) == [("LAMP-1", 8, 8, 0)]


def test_running_the_allocation_again_changes_nothing(place, lamp, receive):
    # given the arrival was allocated
    order = place([("LAMP-1", 8)], ship_partial=True).order
    receive("LAMP-1", 10)
    before = (
        list(StockItem.objects.values_list("on_hand", "reserved")),
        StockMovement.objects.count(),
        OrderEvent.objects.count(),
        waiting(order),
    )

    # when the task is delivered a second time
    assert backorders_allocate_task(product_ids=[lamp.pk]) == 0

    # then
    after = (
        list(StockItem.objects.values_list("on_hand", "reserved")),
        StockMovement.objects.count(),
        OrderEvent.objects.count(),
        waiting(order),
    )
    assert after == before


def test_stock_released_by_a_cancelled_order_goes_to_the_waiting_one(place, lamp, staff_api, commit):
    # given one order holds all 5 lamps and another waits for 2
    first = place([("LAMP-1", 5)], ship_partial=True).order
    second = place([("LAMP-1", 2)], ship_partial=True).order
    assert waiting(second) == [("LAMP-1", 2, 0, 2)]

    # when the first is cancelled
    with commit():
        staff_api("manager").post(f"/api/v1/orders/{first.number}/cancel/", {}, format="json")

    # then
    assert waiting(second) == [("LAMP-1", 2, 2, 0)]
    _assert_stock_consistent()


def test_a_preorder_is_allocated_when_the_product_arrives(place, console, receive):
    order = place([("CONSOLE-1", 4)]).order
    receive("CONSOLE-1", 50)
    assert waiting(order) == [("CONSOLE-1", 4, 4, 0)]
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_cancelled_and_shipped_orders_get_nothing(place, lamp, receive, staff_api, commit):
    # given a cancelled order that was waiting
    order = place([("LAMP-1", 8)], ship_partial=True).order
    with commit():
        staff_api("manager").post(f"/api/v1/orders/{order.number}/cancel/", {}, format="json")

    # when
    receive("LAMP-1", 10)

    # then
    assert StockItem.objects.get(product=lamp).reserved == 0
    assert _allocation_notes(order) == []
