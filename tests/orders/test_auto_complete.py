"""Delivered orders complete by themselves OMS_COMPLETE_AFTER_DAYS after delivery, or once the return window
(OMS_RETURN_WINDOW_DAYS) has passed when that is longer (open returns: tests/returns/test_completion.py)."""

from datetime import timedelta

import pytest

from orders.models import Order
from orders.services import orders_complete_delivered


@pytest.fixture
def delivered(order_in_state, settings):
    settings.OMS_COMPLETE_AFTER_DAYS = 14
    settings.OMS_RETURN_WINDOW_DAYS = 3
    return order_in_state("delivered")


def test_an_order_delivered_less_than_the_waiting_time_ago_stays_delivered(delivered, order_snapshot):
    # given
    before = order_snapshot(delivered)

    # when
    done = orders_complete_delivered(now=delivered.delivered_at + timedelta(days=14) - timedelta(seconds=1))

    # then
    assert done == 0
    assert order_snapshot(delivered) == before


def test_an_order_is_completed_once_the_waiting_time_has_passed(delivered):
    # when
    done = orders_complete_delivered(now=delivered.delivered_at + timedelta(days=14))

    # then
    assert done == 1
    order = Order.objects.get(pk=delivered.pk)
    assert order.status == "completed"
    event = order.events.get(to_status="completed")
    assert (event.from_status, event.actor) == ("delivered", "system")
    assert "14 days" in event.note


def test_the_waiting_time_follows_the_setting(delivered, settings):
    # given
    settings.OMS_COMPLETE_AFTER_DAYS = 3

    # when
    done = orders_complete_delivered(now=delivered.delivered_at + timedelta(days=3))

    # then
    assert done == 1
    assert Order.objects.get(pk=delivered.pk).status == "completed"


def test_a_longer_return_window_makes_the_order_wait_for_it(delivered, settings):
    # given
    settings.OMS_RETURN_WINDOW_DAYS = 30

    # when
    early = orders_complete_delivered(now=delivered.delivered_at + timedelta(days=29))
    late = orders_complete_delivered(now=delivered.delivered_at + timedelta(days=30))

    # then
    assert (early, late) == (0, 1)
    assert "30 days" in Order.objects.get(pk=delivered.pk).events.get(to_status="completed").note


def test_completing_again_changes_nothing(delivered, order_snapshot):
    # given
    later = delivered.delivered_at + timedelta(days=30)
    orders_complete_delivered(now=later)
    before = order_snapshot(delivered)

    # when
    done = orders_complete_delivered(now=later)

    # then
    assert done == 0
    assert order_snapshot(delivered) == before


@pytest.mark.parametrize("state", ["confirmed", "fulfilling", "in_transit", "on_hold"])
def test_orders_not_delivered_are_left_alone(state, order_in_state, order_snapshot):
    # given
    order = order_in_state(state)
    before = order_snapshot(order)

    # when
    done = orders_complete_delivered(now=order.placed_at + timedelta(days=365))

    # then
    assert done == 0
    assert order_snapshot(order) == before
