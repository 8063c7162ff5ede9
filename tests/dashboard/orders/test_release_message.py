""" "Release hold" tells what happened and why: back on hold because the same card was declined again, or
still out of stock; on the order page and in the bulk report."""

import pytest
from django.contrib.messages import get_messages

from inventory.models import StockItem
from orders.models import Order
from tests.factories import OrderFactory


@pytest.fixture
def manager(staff_client):
    return staff_client("manager")


@pytest.fixture
def declined(mug, declined_order) -> Order:
    """An order held because its card was declined."""
    return declined_order(lines=[("MUG-1", 1)])


@pytest.fixture
def short(mug, commit) -> Order:
    """An order held because there were not enough mugs."""
    with commit():
        order = OrderFactory(lines=[("MUG-1", 80)])
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.hold_reason) == ("on_hold", "out_of_stock")
    return order


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_releasing_a_declined_card_hold_says_it_was_declined_again(manager, declined):
    # when staff release the hold and the same card is tried again
    response = manager.post(f"/dashboard/orders/{declined.number}/transition/", {"name": "release"})

    # then the order is back on hold and the message says why, not "now credit approved"
    declined.refresh_from_db()
    assert (declined.status, declined.hold_reason) == ("on_hold", "payment_failed")
    [message] = told(response)
    assert "declined again" in message and "back on hold" in message and "new card" in message
    assert "credit approved" not in message


def test_releasing_an_out_of_stock_hold_names_the_sku_still_short(manager, short):
    # when staff release it before stock arrived
    response = manager.post(f"/dashboard/orders/{short.number}/transition/", {"name": "release"})

    # then
    [message] = told(response)
    assert "still out of stock: MUG-1 (short 30)" in message
    assert "credit approved" not in message


def test_releasing_once_stock_arrived_says_where_the_order_is_now(manager, short, commit):
    # given the mugs arrived
    StockItem.objects.filter(product__sku="MUG-1").update(on_hand=100)

    # when
    with commit():
        response = manager.post(f"/dashboard/orders/{short.number}/transition/", {"name": "release"})

    # then
    [message] = told(response)
    assert message.startswith(f"Released: order {short.number} is now ")
    assert "on hold" not in message


def test_bulk_release_reports_why_each_order_is_held_again(manager, declined, short):
    # when both are released from the order list
    response = manager.post(
        "/dashboard/orders/bulk/", {"action": "release", "orders": [declined.number, short.number]}, follow=True
    )

    # then each row says what happened
    html = response.text
    assert "declined again" in html
    assert "still out of stock: MUG-1 (short " in html
    assert "Done: now on hold" not in html
