"""Orders waiting for money do not hold stock forever: after OMS_UNPAID_CANCEL_DAYS they are cancelled, the
stock goes back on sale and the customer is told; the day it will happen is known in advance."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from inventory.models import StockItem
from orders import services
from orders.models import Order, OrderStatus
from orders.selectors.unpaid import unpaid_cancel_on
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(settings):
    settings.OMS_UNPAID_CANCEL_DAYS = 7
    return timedelta(days=7)


def _bank_transfer(commit):
    with commit():
        order = OrderFactory(lines=[("MUG-1", 2)], payment_method="bank_transfer", payment_token="")
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.payment_status) == (OrderStatus.CREDIT_APPROVED, "awaiting_funds")
    return order


def test_a_bank_transfer_never_paid_is_cancelled_after_the_days_and_its_stock_released(mug, commit, week):
    # given an order waiting for a bank transfer, with its two mugs reserved
    order = _bank_transfer(commit)
    assert StockItem.objects.get(product=mug).reserved == 2
    mail.outbox.clear()

    # when the job runs a day after the limit
    with commit():
        cancelled = services.orders_cancel_unpaid(now=timezone.now() + week + timedelta(days=1))

    # then the order is cancelled, the stock is free again and the customer was told
    order.refresh_from_db()
    assert cancelled == [order.number]
    assert order.status == OrderStatus.CANCELLED
    assert StockItem.objects.get(product=mug).reserved == 0
    assert [m.subject for m in mail.outbox] == [f"Order {order.number} was cancelled"]
    assert order.events.filter(note="Cancelled automatically: no payment within 7 days").exists()


def test_before_the_limit_nothing_happens(mug, commit, week):
    order = _bank_transfer(commit)
    cancelled = services.orders_cancel_unpaid(now=timezone.now() + week - timedelta(hours=1))
    order.refresh_from_db()
    assert cancelled == []
    assert order.status == OrderStatus.CREDIT_APPROVED


def test_an_order_held_for_a_declined_card_counts_from_the_hold(mug, commit, week):
    # given a card order declined (held) today
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], payment_token="tok_decline")
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.hold_reason) == (OrderStatus.ON_HOLD, "payment_failed")

    # then the day of cancellation is a week from now
    assert unpaid_cancel_on(order=order) == timezone.localdate(timezone.now() + week)

    # and after it the job cancels it
    with commit():
        services.orders_cancel_unpaid(now=timezone.now() + week + timedelta(minutes=5))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_paid_and_confirmed_orders_are_never_cancelled(mug, commit, week):
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)])
    assert unpaid_cancel_on(order=Order.objects.get(pk=order.pk)) is None
    assert services.orders_cancel_unpaid(now=timezone.now() + 10 * week) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_the_order_page_shows_the_day_an_unpaid_order_is_cancelled(mug, commit, week, staff_client):
    order = _bank_transfer(commit)
    day = timezone.localdate(timezone.now() + week)
    page = staff_client("finance").get(f"/dashboard/orders/{order.number}/").content.decode()
    assert "Cancels if unpaid" in page
    assert f"on {day.day} {day:%b %Y}" in page
