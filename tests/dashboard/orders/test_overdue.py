"""Overdue means "we are late on something we can act on": held orders and orders waiting for the customer's
bank transfer are not overdue, and home, the order list and the fulfillment page count the same orders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order


@pytest.fixture
def late_orders(order_in_state):
    """Four orders past their ship-by date: two we can act on, one held, one waiting for a transfer."""
    orders = {
        "confirmed": order_in_state("confirmed"),
        "fulfilling": order_in_state("fulfilling"),
        "held": order_in_state("on_hold"),
        "awaiting_funds": order_in_state("credit_approved"),
    }
    Order.objects.filter(pk__in=[o.pk for o in orders.values()]).update(
        promised_ship_date=timezone.localdate() - timedelta(days=3)
    )
    return orders


def test_held_and_awaiting_transfer_orders_are_not_overdue_anywhere(late_orders, staff_client):
    # given
    manager = staff_client("manager")
    actionable = {late_orders["confirmed"].number, late_orders["fulfilling"].number}

    # when
    home = manager.get("/dashboard/")
    listed = manager.get("/dashboard/orders/?queue=overdue")
    fulfillment = manager.get("/dashboard/fulfillment/")

    # then
    overdue = home.context["queues"]["overdue"]
    assert overdue["count"] == 2
    assert {o.number for o in overdue["rows"]} == actionable
    assert {o.number for o in listed.context["orders"]} == actionable
    assert fulfillment.context["counts"].overdue == 2


def test_home_lists_a_held_order_under_on_hold_only(late_orders, staff_client):
    queues = staff_client("manager").get("/dashboard/").context["queues"]

    held = late_orders["held"].number
    assert held in {o.number for o in queues["on_hold"]["rows"]}
    assert held not in {o.number for o in queues["overdue"]["rows"]}


def test_home_and_the_overdue_list_say_what_overdue_means(late_orders, staff_client):
    manager = staff_client("manager")

    for url in ("/dashboard/", "/dashboard/orders/?queue=overdue"):
        text = manager.get(url).text
        assert "Late on something we can act on" in text, url
        assert "waiting for a bank transfer excluded" in text, url


def test_the_overdue_row_marks_only_actionable_orders(late_orders, staff_client):
    orders = staff_client("manager").get("/dashboard/orders/").context["orders"]

    marked = {o.number for o in orders if o.is_overdue}
    assert marked == {late_orders["confirmed"].number, late_orders["fulfilling"].number}
