"""A payment that cannot be authorized puts the order on hold; a gateway that does not answer is retried."""

import pytest

from orders.models import Order
from payments.models import GatewayTransaction, Payment


def place(api, body, commit) -> Order:
    with commit():
        response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])


def test_declined_card_holds_the_order_payment_failed(api, mug, order_body, commit, mailoutbox):
    # given
    order_body["payment"]["token"] = "tok_decline"

    # when
    order = place(api, order_body, commit)

    # then
    assert (order.status, order.hold_reason, order.held_from) == ("on_hold", "payment_failed", "credit_approved")
    assert order.hold_note == "The card was declined."
    assert (order.payment_status, order.amount_authorized) == ("declined", 0)
    assert order.lines.get().quantity_reserved == 2
    assert order.events.filter(to_status="on_hold", actor="system").count() == 1
    assert [m.subject for m in mailoutbox] == [f"Order {order.number} is on hold: we need your help"]


def test_invalid_card_token_is_declined_too(api, mug, order_body, commit):
    # given
    order_body["payment"]["token"] = "tok_garbage"

    # when
    order = place(api, order_body, commit)

    # then
    assert (order.status, order.hold_reason) == ("on_hold", "payment_failed")


@pytest.mark.parametrize("max_retries", [0, 2])
def test_gateway_timeout_is_retried_then_held(max_retries, api, mug, order_body, commit, settings, mailoutbox):
    # given
    settings.OMS_PAYMENT_MAX_RETRIES = max_retries
    order_body["payment"]["token"] = "tok_timeout"

    # when
    order = place(api, order_body, commit)

    # then the gateway was asked once plus once per retry, then the order was held
    payment = Payment.objects.get(order=order)
    assert payment.attempts == max_retries + 1
    assert (
        GatewayTransaction.objects.filter(payment=payment, kind="authorize", outcome="error").count() == max_retries + 1
    )
    assert (order.status, order.hold_reason) == ("on_hold", "payment_failed")
    assert f"Gave up after {max_retries} retries" in order.hold_note
    assert mailoutbox == []


def test_authorized_card_confirms_the_order_once(api, mug, order_body, commit):
    # when
    order = place(api, order_body, commit)

    # then
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.authorized_amount, payment.attempts) == ("authorized", order.total, 1)
    assert GatewayTransaction.objects.filter(payment=payment).count() == 1
    assert (order.payment_status, order.amount_authorized) == ("authorized", order.total)
