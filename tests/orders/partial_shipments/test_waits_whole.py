"""An order that may not ship in parts waits whole: fulfillment does not start while units are backordered."""

import pytest

from orders.exceptions import TransitionNotAvailable
from orders.services import order_transition, transitions_available
from tests.orders.partial_shipments.conftest import stock_arrives


def test_start_fulfillment_is_refused_while_units_are_backordered(partial_order, clerk, shelf, order_snapshot):
    # given an order that waits whole, one cup short
    order = partial_order([("PS-CUP", 3, 2)], ship_partial=False, start=False)
    before = order_snapshot(order)

    # when / then: the refusal says why
    with pytest.raises(TransitionNotAvailable, match=r"waits whole: 1 unit\(s\) are backordered"):
        order_transition(order_id=order.pk, name="start_fulfillment", user=clerk)
    assert order_snapshot(order) == before
    assert "start_fulfillment" not in [t["name"] for t in transitions_available(order=order, user=clerk)]


def test_it_starts_once_everything_is_in_stock(partial_order, clerk, shelf):
    # given
    order = partial_order([("PS-CUP", 3, 2)], ship_partial=False, start=False)

    # when the missing cup arrives
    stock_arrives(order, "PS-CUP", 1)

    # then
    assert "start_fulfillment" in [t["name"] for t in transitions_available(order=order, user=clerk)]
    assert order_transition(order_id=order.pk, name="start_fulfillment", user=clerk).status == "fulfilling"


def test_an_order_that_may_ship_in_parts_starts_with_what_is_there(partial_order, clerk, shelf):
    # given / when
    order = partial_order([("PS-CUP", 3, 2)], ship_partial=True, start=False)

    # then
    assert order_transition(order_id=order.pk, name="start_fulfillment", user=clerk).status == "fulfilling"


def test_the_fulfillment_page_tells_why(partial_order, clerk, client, shelf):
    # given
    order = partial_order([("PS-CUP", 3, 2)], ship_partial=False, start=False)
    client.force_login(clerk)

    # when
    response = client.post(f"/dashboard/orders/{order.number}/start-fulfillment/", follow=True)

    # then
    assert "waits whole" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "confirmed"
