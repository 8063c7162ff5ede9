"""Automatic work whose task was lost is driven on again by the reconciler, from what the database says.

A lost task is simulated the way it happens: the outbox message was handed over (marked dispatched) but the
task never ran, because the worker died with it.
"""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oms.models import OutboxMessage
from orders import services
from orders.models import Notification, Order, OrderStatus
from orders.selectors.waiting import orders_stuck
from shipping.models import Shipment
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=4)


def _lose_pending_tasks() -> None:
    """The broker took every pending message and the worker holding them died: nothing will run them."""
    OutboxMessage.objects.filter(dispatched_at=None).update(dispatched_at=timezone.now())


def _reconciler_notes(order: Order) -> list[str]:
    return list(order.events.filter(actor="reconciler").values_list("note", flat=True))


def test_an_order_whose_payment_task_died_is_paid_and_confirmed_with_one_email(mug, commit):
    # given a card order whose payment task died with its worker
    order = OrderFactory(lines=[("MUG-1", 1)])
    _lose_pending_tasks()
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CREDIT_APPROVED, "pending")

    # when the reconciler runs a few minutes later
    with commit():
        report = services.orders_reconcile(now=timezone.now() + LATER)

    # then the order is paid and confirmed, the customer got one confirmation, and the timeline says why
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert report.driven == {"payment": 1}
    assert [m.subject for m in mail.outbox] == [f"Order {order.number} confirmed"]
    assert _reconciler_notes(order) == ["Reconciler [payment]: the payment did not happen in time; started again"]


def test_an_order_is_not_touched_before_it_waited_long_enough(mug):
    # given an order whose payment task is merely slow
    order = OrderFactory(lines=[("MUG-1", 1)])
    _lose_pending_tasks()

    # when the reconciler runs at once
    report = services.orders_reconcile()

    # then it leaves the order alone
    assert report.driven == {}
    assert _reconciler_notes(order) == []


def test_a_confirmation_email_whose_task_died_is_sent_once(mug, commit):
    # given a confirmed order whose confirmation email task died before sending
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)])
    Notification.objects.filter(order=order).update(sent_at=None, closed_at=None)
    mail.outbox.clear()

    # when the reconciler runs twice, later
    with commit():
        services.orders_reconcile(now=timezone.now() + LATER)
    with commit():
        services.orders_reconcile(now=timezone.now() + 3 * LATER)

    # then the customer got exactly one confirmation
    assert [m.subject for m in mail.outbox] == [f"Order {order.number} confirmed"]
    assert Notification.objects.get(order=order, kind="confirmation").closed_at is not None


def test_a_parcel_whose_label_task_died_gets_its_label(order_in_state, commit):
    # given a shipped order whose label purchase was lost
    order = order_in_state("shipped")
    Shipment.objects.filter(order=order).update(status=Shipment.Status.LABEL_PENDING, tracking_number=None)

    # when the reconciler runs later
    with commit():
        report = services.orders_reconcile(now=timezone.now() + LATER)

    # then every parcel has its label and tracking number again
    assert report.driven.get("label") == 1
    assert not Shipment.objects.filter(order=order, tracking_number=None).exists()


def test_a_cancelled_order_whose_void_task_died_has_its_authorization_voided(order_in_state, commit):
    # given a cancelled card order whose void task was lost
    order = order_in_state("confirmed")
    services.order_transition(order_id=order.pk, name="cancel", user=_manager(), reason="changed mind")
    _lose_pending_tasks()
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, "authorized")

    # when the reconciler runs later
    with commit():
        services.orders_reconcile(now=timezone.now() + LATER)

    # then the authorization is voided
    order.refresh_from_db()
    assert order.payment_status == "voided"


def test_work_that_never_passes_is_given_up_after_the_last_try_and_logged(mug, caplog):
    # given an order whose payment task is lost every time it is queued
    order = OrderFactory(lines=[("MUG-1", 1)])
    _lose_pending_tasks()

    # when the reconciler runs every few minutes for hours
    now = timezone.now()
    with caplog.at_level(logging.ERROR, logger="orders.services.reconcile"):
        for step in range(1, 60):
            services.orders_reconcile(now=now + step * LATER)
            _lose_pending_tasks()

    # then it tried the configured number of times with growing pauses, then gave up once, loudly
    notes = _reconciler_notes(order)
    assert len(notes) == 6, notes
    assert notes[-1].startswith("Reconciler [payment]: the payment still not done after 5 tries; gave up")
    assert [r.getMessage() for r in caplog.records if order.number in r.getMessage()] == [
        f"reconciler: order {order.number} still waits for the payment after 5 tries; gave up"
    ]
    # and the order is in the stuck queue
    assert order in orders_stuck(since_before=now + 60 * LATER)


def test_the_stuck_queue_shows_orders_left_behind_and_failed_emails(mug, commit, settings):
    # given an order whose payment task died long ago, one confirmed normally, one whose email was given up on
    stuck = OrderFactory(lines=[("MUG-1", 1)])
    _lose_pending_tasks()
    with commit():
        fine = OrderFactory(lines=[("MUG-1", 1)])
    with commit():
        unmailed = OrderFactory(lines=[("MUG-1", 1)])
    services.order_email_failed(order_id=unmailed.pk, kind="shipped", error="550 mailbox unavailable", final=True)

    # when a manager looks 30 minutes later
    since = timezone.now() + timedelta(minutes=31) - timedelta(minutes=settings.OMS_STUCK_AFTER_MINUTES)

    # then the stuck queue holds exactly the left-behind order and the one with a failed email
    assert set(orders_stuck(since_before=since)) == {stuck, unmailed}
    assert fine.pk not in orders_stuck(since_before=since).values_list("pk", flat=True)


def _manager():
    from tests.factories import StaffFactory

    return StaffFactory(role="manager")
