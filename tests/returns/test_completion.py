"""An order completes only after the return window and once every return on it is closed, rejected or
cancelled: the auto-complete job and the staff transition both wait."""

from datetime import timedelta

import pytest

from orders.exceptions import TransitionNotAvailable
from orders.models import Order
from orders.services import order_transition, orders_complete_delivered
from returns import services
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def _policy(settings):
    settings.OMS_COMPLETE_AFTER_DAYS = 14
    settings.OMS_RETURN_WINDOW_DAYS = 30


def _later(order, days=31):
    return Order.objects.get(pk=order.pk).delivered_at + timedelta(days=days)


def test_an_open_return_keeps_the_order_from_completing(return_in_state):
    # given
    created = return_in_state("received")
    order = created.order

    # when
    done = orders_complete_delivered(now=_later(order))

    # then
    assert done == 0
    assert Order.objects.get(pk=order.pk).status == "delivered"
    with pytest.raises(TransitionNotAvailable):
        order_transition(order_id=order.pk, name="complete", user=StaffFactory(role="manager"))
    assert Order.objects.get(pk=order.pk).status == "delivered"


def test_the_order_completes_once_its_last_return_is_cancelled(return_in_state, delivered_order):
    # given
    order = delivered_order(2)
    first = return_in_state("authorized", order=order)
    second = return_in_state("requested", order=order)
    services.return_cancel(return_request=first)
    assert orders_complete_delivered(now=_later(order)) == 0

    # when
    services.return_cancel(return_request=second)
    done = orders_complete_delivered(now=_later(order))

    # then
    assert done == 1
    assert Order.objects.get(pk=order.pk).status == "completed"


def test_a_refunded_return_lets_the_order_complete_once_closed(return_in_state, commit):
    # given
    created = return_in_state("inspected")
    manager = StaffFactory(role="manager")
    with commit():
        services.return_transition(return_request=created, name="refund", user=manager)
    assert orders_complete_delivered(now=_later(created.order)) == 0

    # when
    services.return_transition(return_request=created, name="close", user=manager)

    # then
    assert Order.objects.get(pk=created.order_id).returns_open == 0
    assert orders_complete_delivered(now=_later(created.order)) == 1


def test_within_the_return_window_the_order_waits_even_without_returns(delivered_order):
    order = delivered_order(1)
    assert orders_complete_delivered(now=_later(order, days=29)) == 0
    assert orders_complete_delivered(now=_later(order, days=30)) == 1
