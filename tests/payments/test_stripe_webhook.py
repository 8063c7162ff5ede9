"""Stripe's signed webhook: asynchronous results applied once, to the payment and through it the order."""

import json
import time
from decimal import Decimal

import pytest

from oms.signatures import timestamped_sign
from orders.models import Order
from payments.models import Payment, ProviderEvent
from tests.factories import OrderFactory
from tests.payments.conftest import WEBHOOK_SECRET

URL = "/api/v1/payments/webhooks/stripe/"


@pytest.fixture
def post_event(client):
    def post(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, signature=...):
        body = json.dumps(event).encode()
        if signature is ...:
            signature = timestamped_sign(secret=secret, body=body, timestamp=timestamp)
        headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": signature}
        return client.post(URL, data=body, content_type="application/json", **headers)

    return post


def event(kind: str, obj: dict, event_id: str = "evt_1") -> dict:
    return {"id": event_id, "object": "event", "type": kind, "data": {"object": obj}}


@pytest.fixture
def waiting_order(stripe, mug, commit):
    """A card order whose payment waits for the customer's 3-D Secure step (Stripe: requires_action)."""
    with commit():
        order = OrderFactory(payment_token="pm_card_threeDSecureRequired")
    order.refresh_from_db()
    assert (order.status, order.payments.get().status) == ("credit_approved", Payment.Status.AWAITING_FUNDS)
    return order


def capturable(order: Order, event_id: str = "evt_1") -> dict:
    payment = order.payments.get()
    amount = int(payment.amount * 100)
    return event(
        "payment_intent.amount_capturable_updated",
        {
            "object": "payment_intent",
            "id": payment.gateway_reference,
            "status": "requires_capture",
            "amount_capturable": amount,
        },
        event_id,
    )


def test_an_authorization_confirmed_later_moves_the_order_on(waiting_order, post_event, commit):
    # when
    with commit():
        response = post_event(capturable(waiting_order))

    # then
    assert response.status_code == 200 and response.json() == {"received": True, "outcome": "authorized"}
    waiting_order.refresh_from_db()
    assert waiting_order.status == "confirmed"
    assert waiting_order.payments.get().status == Payment.Status.AUTHORIZED


def test_the_same_event_twice_is_applied_once(waiting_order, post_event, commit):
    # given
    with commit():
        post_event(capturable(waiting_order))
    events_before = waiting_order.events.count()

    # when
    with commit():
        again = post_event(capturable(waiting_order))

    # then
    assert again.status_code == 200 and again.json()["outcome"] == "authorized"
    assert ProviderEvent.objects.count() == 1
    assert waiting_order.events.count() == events_before


def test_a_failed_payment_holds_the_order(waiting_order, post_event, commit):
    # given
    reference = waiting_order.payments.get().gateway_reference
    error = {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "message": "No funds.",
    }

    # when
    with commit():
        response = post_event(event("payment_intent.payment_failed", {"id": reference, "last_payment_error": error}))

    # then
    assert response.json()["outcome"] == "declined"
    waiting_order.refresh_from_db()
    assert (waiting_order.status, waiting_order.hold_reason) == ("on_hold", "payment_failed")


def test_a_refund_made_at_stripe_is_recorded(stripe, order_in_state, post_event, commit):
    # given
    order = order_in_state("shipped", payment_token="pm_card_visa")
    payment = order.payments.get()

    # when
    charge = {"object": "charge", "id": "ch_1", "payment_intent": payment.gateway_reference, "amount_refunded": 250}
    with commit():
        response = post_event(event("charge.refunded", charge))

    # then: on the payment, the order's summary and its timeline
    assert response.json()["outcome"] == "refunded"
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.status) == (Decimal("2.50"), Payment.Status.CAPTURED)
    order.refresh_from_db()
    assert order.amount_refunded == Decimal("2.50")
    assert order.events.filter(note="Stripe: 2.50 USD refunded in all").exists()


def test_an_event_for_a_payment_unknown_here_is_acknowledged(db, stripe, post_event):
    response = post_event(event("payment_intent.succeeded", {"id": "pi_elsewhere"}))
    assert response.status_code == 200 and response.json()["outcome"] == "no such payment"


@pytest.mark.parametrize(
    "signing",
    [
        {"secret": "whsec_wrong"},
        {"timestamp": int(time.time()) - 3600},
        {"signature": None},
        {"signature": "t=abc,v1=zz"},
    ],
    ids=["wrong secret", "stale", "missing", "malformed"],
)
def test_a_badly_signed_event_changes_nothing(waiting_order, post_event, signing):
    # when
    response = post_event(capturable(waiting_order), **signing)

    # then
    assert response.status_code == 401
    assert not ProviderEvent.objects.exists()
    assert waiting_order.payments.get().status == Payment.Status.AWAITING_FUNDS


def test_a_signed_body_that_is_not_an_event_is_refused(db, stripe, post_event):
    response = post_event({"id": "evt_x", "type": "payment_intent.succeeded"})
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()
