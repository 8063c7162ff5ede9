"""An edit re-reserves stock by the difference: more for increases and new lines, back for decreases and
removed lines (the exact allocations, split when only part goes), so reserved stock always equals the lines."""

from decimal import Decimal

import pytest

from inventory.models import StockMovement
from oms.models import OutboxMessage
from orders import services
from orders.exceptions import InvalidOrder
from orders.models import LineAllocation, Order
from tests.orders.changes.conftest import (
    assert_stock_matches_lines,
    assert_totals_match_lines,
    change_note,
    lines_of,
    reserved_of,
)

pytestmark = pytest.mark.django_db


def test_increase_decrease_add_and_remove_reserve_exactly_the_new_lines(confirmed, commit):
    # given a confirmed order of 2 mugs and 1 tee, all reserved
    order = confirmed()
    assert (reserved_of("MUG-1"), reserved_of("TEE-1")) == (2, 1)

    # when the mugs go to 5, the tee is removed and 2 caps are added
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 5), ("CAP-1", 2)], actor="test")

    # then the lines are the new set, the stock reserved is exactly theirs, and the totals add up
    assert lines_of(order) == {"MUG-1": 5, "CAP-1": 2}
    assert (reserved_of("MUG-1"), reserved_of("TEE-1"), reserved_of("CAP-1")) == (5, 0, 2)
    assert_stock_matches_lines(order)
    assert_totals_match_lines(order)
    order = Order.objects.get(pk=order.pk)
    assert (order.subtotal, order.shipping_total, order.total) == (Decimal("78.50"), Decimal("4.95"), Decimal("83.45"))
    assert order.status == "confirmed"


def test_a_decrease_releases_part_of_an_allocation_by_splitting_it(confirmed, commit):
    # given an order of 6 mugs held by one allocation
    order = confirmed(lines=[("MUG-1", 6)])
    [allocation] = LineAllocation.objects.filter(line__order=order)

    # when 4 of them are taken off
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 2)], actor="test")

    # then the allocation keeps 2, a released row records the 4 given back, and the ledger shows the release
    allocation.refresh_from_db()
    assert (allocation.quantity, allocation.is_released) == (2, False)
    assert list(
        LineAllocation.objects.filter(line__order=order, is_released=True).values_list("quantity", flat=True)
    ) == [4]
    assert reserved_of("MUG-1") == 2
    release = StockMovement.objects.filter(kind="release", reference=order.number).get()
    assert release.reserved_delta == -4
    assert_stock_matches_lines(order)


def test_the_same_lines_again_change_nothing(confirmed, commit, order_snapshot):
    # given a confirmed order
    order = confirmed()
    before = order_snapshot(order)

    # when its lines are sent again as they are (in another order)
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("TEE-1", 1), ("MUG-1", 2)], actor="test")

    # then nothing changed: no event, no stock moved
    assert order_snapshot(order) == before


def test_an_increase_without_stock_is_refused_naming_the_line(confirmed, order_snapshot):
    # given an order of 1 cap (3 in stock) and 2 mugs
    order = confirmed(lines=[("MUG-1", 2), ("CAP-1", 1)])
    before = order_snapshot(order)

    # when the caps go to 5 (only 2 more are there)
    with pytest.raises(InvalidOrder) as refused:
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 3), ("CAP-1", 5)], actor="test")

    # then the second line is named with what is available, and nothing changed
    assert refused.value.fields == {"lines": {"1": {"quantity": ["Only 3 available."]}}}
    assert order_snapshot(order) == before
    assert lines_of(order) == {"MUG-1": 2, "CAP-1": 1}


def test_an_order_shipping_in_parts_backorders_what_is_short(confirmed, commit):
    # given an order that may ship in parts, with 1 cap of the 3 in stock
    order = confirmed(lines=[("CAP-1", 1)])
    Order.objects.filter(pk=order.pk).update(ship_partial=True)

    # when the caps go to 6
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("CAP-1", 6)], actor="test")

    # then the 2 more in stock are reserved and the other 3 backordered, as the timeline says
    line = Order.objects.get(pk=order.pk).lines.get()
    assert (line.quantity, line.quantity_reserved, line.quantity_backordered) == (6, 3, 3)
    assert reserved_of("CAP-1") == 3
    assert_stock_matches_lines(order, partial=True)
    assert "Backordered: CAP-1 ×3." in change_note(order)


def test_a_backordered_line_shrinks_from_its_backorder_first(confirmed, commit):
    # given a line of 6 caps, 3 reserved and 3 backordered
    order = confirmed(lines=[("CAP-1", 1)])
    Order.objects.filter(pk=order.pk).update(ship_partial=True)
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("CAP-1", 6)], actor="test")

    # when it goes down to 4
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("CAP-1", 4)], actor="test")

    # then the backorder shrinks to 1 and the 3 reserved stay
    line = Order.objects.get(pk=order.pk).lines.get()
    assert (line.quantity_reserved, line.quantity_backordered) == (3, 1)
    assert reserved_of("CAP-1") == 3
    assert_stock_matches_lines(order, partial=True)


def test_an_order_held_short_of_stock_just_changes_its_lines_and_is_tried_again(catalog, commit, settings):
    # given an order held out of stock before anything was reserved (4 caps, 3 in stock)
    from tests.factories import OrderFactory

    settings.OMS_STOCK_ARRIVED_TASKS = ["inventory.tasks.noop_for_test"]
    order = OrderFactory(lines=[("CAP-1", 4), ("MUG-1", 1)])
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.hold_reason) == ("on_hold", "out_of_stock")

    # when the caps go down to 2
    services.order_lines_change(order_id=order.pk, lines=[("CAP-1", 2), ("MUG-1", 1)], actor="test")

    # then the lines changed, nothing was reserved, and the allocator is asked to try the order's products again
    assert lines_of(order) == {"CAP-1": 2, "MUG-1": 1}
    assert (reserved_of("CAP-1"), reserved_of("MUG-1")) == (0, 0)
    queued = OutboxMessage.objects.filter(task_name="inventory.tasks.noop_for_test").get()
    assert sorted(queued.kwargs["product_ids"]) == sorted([catalog["CAP-1"].product_id, catalog["MUG-1"].product_id])
