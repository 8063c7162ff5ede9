"""Card payments through Stripe PaymentIntents (manual capture), against a fake Stripe on 127.0.0.1."""

from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from payments.exceptions import GatewayUnavailable
from payments.gateways import gateway_for
from payments.models import GatewayTransaction, Payment
from tests.factories import OrderFactory


def form(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


def cents(amount: Decimal) -> str:
    return str(int(amount * 100))


def test_a_card_order_is_authorized_with_a_manual_capture_intent(stripe, mug, commit):
    # when
    with commit():
        order = OrderFactory(payment_token="pm_card_visa")

    # then
    order.refresh_from_db()
    payment = order.payments.get()
    assert order.status == "confirmed"
    assert payment.status == Payment.Status.AUTHORIZED
    assert payment.gateway_reference in stripe.intents
    (sent,) = stripe.requests
    assert sent.path == "/v1/payment_intents"
    assert sent.headers["Authorization"] == "Bearer sk_test_fake"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.headers["Idempotency-Key"].startswith(f"payment-{payment.pk}-authorize-")
    assert form(sent) == {
        "amount": cents(payment.amount),
        "currency": "usd",
        "payment_method": "pm_card_visa",
        "confirm": "true",
        "capture_method": "manual",
        "payment_method_options[card][request_multicapture]": "if_available",
    }


def test_a_declined_card_holds_the_order_with_stripes_decline_code(stripe, declined_order):
    # when
    order = declined_order(token="pm_card_chargeDeclined")

    # then
    tx = GatewayTransaction.objects.get(payment__order=order, kind="authorize")
    assert (tx.outcome, tx.error_code, tx.message) == ("declined", "generic_decline", "Your card was declined.")
    assert order.payments.get().status == Payment.Status.DECLINED


def test_shipping_captures_the_amount(stripe, order_in_state):
    # when
    order = order_in_state("shipped", payment_token="pm_card_visa")

    # then
    payment = order.payments.get()
    capture = stripe.requests[-1]
    assert capture.path == f"/v1/payment_intents/{payment.gateway_reference}/capture"
    assert form(capture) == {"amount_to_capture": cents(payment.amount)}
    assert payment.status == Payment.Status.CAPTURED
    assert stripe.intents[payment.gateway_reference]["status"] == "succeeded"


def test_cancelling_voids_the_authorization(stripe, order_in_state):
    # when
    order = order_in_state("cancelled", payment_token="pm_card_visa")

    # then
    payment = order.payments.get()
    assert stripe.requests[-1].path == f"/v1/payment_intents/{payment.gateway_reference}/cancel"
    assert payment.status == Payment.Status.VOIDED
    assert stripe.intents[payment.gateway_reference]["status"] == "canceled"


def test_a_partial_refund_is_asked_once_per_key(stripe, order_in_state):
    # given
    payment = order_in_state("shipped", payment_token="pm_card_visa").payments.get()
    gateway = gateway_for("card")

    # when: a part is refunded, and the call retried with the same key
    first = gateway.refund(reference=payment.gateway_reference, amount=Decimal("5.00"), idempotency_key="refund-1")
    again = gateway.refund(reference=payment.gateway_reference, amount=Decimal("5.00"), idempotency_key="refund-1")

    # then
    assert first == again and first.outcome == "succeeded"
    assert [(r["amount"], r["payment_intent"]) for r in stripe.refunds] == [(500, payment.gateway_reference)]
    assert form(stripe.requests[-1]) == {"payment_intent": payment.gateway_reference, "amount": "500"}


@pytest.mark.parametrize("status", [500, 503])
def test_stripe_failing_is_retryable(stripe, status):
    # given
    stripe.fail_next = [status]

    # when / then
    with pytest.raises(GatewayUnavailable):
        gateway_for("card").authorize(
            amount=Decimal("10.00"), currency="USD", token="pm_card_visa", idempotency_key="k-1"
        )


def test_a_wrong_key_is_our_problem_not_a_decline(stripe, settings):
    # given
    settings.OMS_STRIPE_SECRET_KEY = "sk_test_wrong"

    # when / then
    with pytest.raises(GatewayUnavailable):
        gateway_for("card").authorize(
            amount=Decimal("10.00"), currency="USD", token="pm_card_visa", idempotency_key="k-2"
        )


def test_the_demo_keeps_the_test_gateway(settings):
    settings.OMS_CARD_GATEWAY = "test"
    assert type(gateway_for("card")).__name__ == "TestCardGateway"
