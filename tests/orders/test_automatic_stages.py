"""The automatic stages run only from their own state; a late or repeated run changes nothing."""

import pytest

from orders.models import Order
from orders.tasks import pay_order_task
from payments.models import GatewayTransaction
from tests.factories import OrderFactory


def test_placement_runs_verify_credit_pay_and_confirm_in_order(order_in_state):
    # when
    order = order_in_state("confirmed")

    # then
    assert list(order.events.exclude(to_status="").values_list("from_status", "to_status", "actor")) == [
        ("", "placed", "test"),
        ("placed", "verified", "system"),
        ("verified", "credit_approved", "system"),
        ("credit_approved", "paid", "system"),
        ("paid", "confirmed", "system"),
    ]


@pytest.mark.parametrize("state", ["confirmed", "on_hold", "cancelled", "fulfilling", "delivered"])
def test_the_payment_stage_does_nothing_outside_credit_approved(state, order_in_state, order_snapshot, commit):
    # given
    order = order_in_state(state)
    before = order_snapshot(order)
    calls = GatewayTransaction.objects.filter(kind="authorize").count()

    # when the payment task is delivered again
    with commit():
        result = pay_order_task.apply(kwargs={"order_id": order.pk})

    # then
    assert result.successful()
    assert order_snapshot(order) == before
    assert GatewayTransaction.objects.filter(kind="authorize").count() == calls


def test_an_order_cancelled_before_its_payment_ran_is_never_charged(db, mug, commit, mailoutbox):
    # given an order whose payment task is still queued
    from orders.services import order_cancel_by_customer

    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)])
        order_cancel_by_customer(order_id=order.pk, actor="storefront:shop")

    # then
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert not GatewayTransaction.objects.filter(kind="authorize").exists()
    assert [m.subject for m in mailoutbox] == [f"Order {order.number} was cancelled"]


def test_more_carrier_events_leave_a_delivered_order_delivered(order_in_state, post_webhook, commit, mailoutbox):
    # given
    order = order_in_state("delivered")
    tracking = order.shipments.get().tracking_number
    mails = len(mailoutbox)

    # when the carrier sends a later, different event
    with commit():
        response = post_webhook({"event_id": "late-1", "tracking_number": tracking, "status": "in_transit"})

    # then
    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == "delivered"
    assert order.events.filter(to_status="delivered").count() == 1
    assert len(mailoutbox) == mails


def test_an_in_transit_event_for_an_order_in_transit_changes_nothing_but_the_tracking(order_in_state, post_webhook):
    # given
    order = order_in_state("in_transit")
    tracking = order.shipments.get().tracking_number
    events = order.events.count()

    # when
    response = post_webhook(
        {"event_id": "hub-2", "tracking_number": tracking, "status": "in_transit", "location": "Hub 2"}
    )

    # then
    assert response.json()["order_status"] == "in_transit"
    assert order.events.count() == events
    assert order.shipments.get().events.filter(location="Hub 2").exists()
