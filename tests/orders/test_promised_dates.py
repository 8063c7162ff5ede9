"""Promised dates count from when an order (re)enters the flow: paid after a week, released from a hold, paid
with a new card. The customer is never told a delivery date already past."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from orders.models import Order
from orders.services import order_mark_paid, order_payment_retry, order_transition
from shipping.selectors import shipping_method_get
from shipping.services import delivery_dates
from tests.factories import OrderFactory, StaffFactory

WEEK = timedelta(days=7)


def _a_week_ago(order: Order) -> Order:
    """As if the order was placed a week ago, with the dates promised then."""
    placed_at = timezone.now() - WEEK
    method = shipping_method_get(code=order.shipping_method)
    ship_by, delivery = delivery_dates(placed_at=placed_at, transit_days=method.transit_days)
    Order.objects.filter(pk=order.pk).update(
        placed_at=placed_at, promised_ship_date=ship_by, estimated_delivery_date=delivery
    )
    return Order.objects.get(pk=order.pk)


def _from_today(order: Order):
    method = shipping_method_get(code=order.shipping_method)
    return delivery_dates(placed_at=timezone.now(), transit_days=method.transit_days)


def _long(day) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


def test_a_transfer_paid_a_week_late_is_promised_from_the_day_it_is_paid(order_in_state, commit):
    # given an order that waited a week for its bank transfer
    order = _a_week_ago(order_in_state("credit_approved"))
    old_delivery = order.estimated_delivery_date
    assert old_delivery < timezone.localdate() + timedelta(days=3)
    mail.outbox.clear()

    # when the money arrives
    with commit():
        order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"))

    # then ship-by and delivery count from today, the timeline says so, and the confirmation tells the new date
    order.refresh_from_db()
    assert order.status == "confirmed"
    assert (order.promised_ship_date, order.estimated_delivery_date) == _from_today(order)
    assert order.events.filter(note__startswith="Dates promised again from today").count() == 1
    [confirmation] = [m for m in mail.outbox if m.subject == f"Order {order.number} confirmed"]
    assert _long(order.estimated_delivery_date) in confirmation.body
    assert _long(old_delivery) not in confirmation.body


def test_releasing_a_hold_promises_the_dates_again(order_in_state, commit):
    # given a confirmed order held for a week (fraud review)
    order = _a_week_ago(order_in_state("on_hold"))

    # when staff release it
    with commit():
        order_transition(order_id=order.pk, name="release", user=StaffFactory(role="manager"))

    # then
    order.refresh_from_db()
    assert order.status == "confirmed"
    assert (order.promised_ship_date, order.estimated_delivery_date) == _from_today(order)
    note = order.events.get(note__startswith="Dates promised again").note
    assert f"{order.promised_ship_date:%d %b %Y}" in note and "(was " in note


def test_a_new_card_a_week_later_promises_the_dates_again(mug, commit):
    # given an order held a week for a declined card
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], payment_token="tok_decline")
    order = _a_week_ago(order)

    # when the customer pays with a new card
    with commit():
        order_payment_retry(order_id=order.pk, token="tok_ok", actor="customer")

    # then
    order.refresh_from_db()
    assert order.status == "confirmed"
    assert (order.promised_ship_date, order.estimated_delivery_date) == _from_today(order)


def test_an_order_confirmed_at_once_keeps_its_dates_and_no_note(mug, commit):
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)])

    order = Order.objects.get(pk=order.pk)
    assert order.status == "confirmed"
    assert (order.promised_ship_date, order.estimated_delivery_date) == _from_today(order)
    assert not order.events.filter(note__startswith="Dates promised again").exists()


def test_the_portal_never_shows_a_past_delivery_date_for_a_held_order(client, order_in_state, link):
    # given an order held for a week, its promised delivery already past
    order = _a_week_ago(order_in_state("on_hold"))
    order = Order.objects.get(pk=order.pk)
    Order.objects.filter(pk=order.pk).update(estimated_delivery_date=timezone.localdate() - timedelta(days=2))

    # when the customer looks
    html = client.get(link(order)).text

    # then the estimate shown is the earliest possible from today, not the past day
    shown = re.search(r"Estimated delivery <strong>([^<]+)</strong>", html).group(1)
    expected = _from_today(order)[1]
    assert shown == f"{expected:%A}, {expected.day} {expected:%B}"
