"""Asynchronous results from a payment provider (Stripe's webhook), applied once each.

Stripe tells by webhook what a call could not say at once: a card that needed the customer's action is
authorized after all (``payment_intent.amount_capturable_updated``) or failed
(``payment_intent.payment_failed``), money was captured (``payment_intent.succeeded``) or given back
(``charge.refunded``, also for refunds made on Stripe's dashboard). The event is recorded under its id in the
same transaction as its consequence, so a redelivered event changes nothing. An authorization settled this
way hands the order back to its payment step (``orders.tasks.pay_order_task``, by name: this app imports no
order code), which confirms it or holds it as it does for an answer that came at once; a capture or refund
goes on the order's timeline and payment summary (``orders.tasks.record_order_payment_news_task``).
"""

import json
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from oms import outbox
from oms.exceptions import InvalidInput
from oms.signatures import timestamped_verify
from payments.exceptions import BadSignature
from payments.gateways.stripe import from_minor_units
from payments.models import GatewayTransaction, Payment, ProviderEvent

SIGNATURE_HEADER = "Stripe-Signature"
WAITING = (Payment.Status.PENDING, Payment.Status.AWAITING_FUNDS)


def stripe_event_parse(*, header: str, body: bytes) -> dict:
    """Check ``Stripe-Signature`` on the raw body, then read the event; BadSignature or InvalidInput."""
    timestamped_verify(
        secret=settings.OMS_STRIPE_WEBHOOK_SECRET,
        header=header,
        body=body,
        tolerance=settings.OMS_WEBHOOK_TOLERANCE_SECONDS,
        error=BadSignature,
        header_name=SIGNATURE_HEADER,
    )
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The body is not valid JSON.", code="invalid_event") from None
    errors = {}
    if not isinstance(event, dict):
        raise InvalidInput("The event must be a JSON object.", code="invalid_event")
    if not isinstance(event.get("id"), str) or not event["id"] or len(event["id"]) > 100 or "\x00" in event["id"]:
        errors["id"] = ["An event id (at most 100 characters) is required."]
    if not isinstance(event.get("type"), str) or len(event["type"]) > 100 or "\x00" in event["type"]:
        errors["type"] = ["An event type is required."]
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        errors["data.object"] = ["The event carries its object in data.object."]
    if errors:
        raise InvalidInput("Invalid event.", code="invalid_event", fields=errors)
    return event


@transaction.atomic
def stripe_event_apply(*, event: dict) -> ProviderEvent:
    """Apply one verified Stripe event to its payment, once. Events of payments unknown here are recorded
    and acknowledged (a Stripe account may serve other software too)."""
    obj = event["data"]["object"]
    intent_id = obj.get("payment_intent") if event["type"].startswith("charge.") else obj.get("id")
    payment = None
    if isinstance(intent_id, str) and intent_id:
        payment = Payment.objects.select_for_update().filter(method="card", gateway_reference=intent_id).first()
    try:
        with transaction.atomic():
            record = ProviderEvent.objects.create(
                provider="stripe", event_id=event["id"], type=event["type"], payment=payment
            )
    except IntegrityError:
        return ProviderEvent.objects.get(provider="stripe", event_id=event["id"])
    outcome = _apply(event["type"], obj, payment) if payment is not None else "no such payment"
    record.outcome = outcome[:100]
    record.save(update_fields=["outcome"])
    return record


def _amount(obj: dict, field: str, payment: Payment) -> Decimal | None:
    value = obj.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    return min(from_minor_units(value, payment.currency), payment.amount)


def _apply(kind: str, obj: dict, payment: Payment) -> str:
    if kind == "payment_intent.amount_capturable_updated":
        if payment.status not in WAITING:
            return f"already {payment.status}"
        _settle_authorization(payment, outcome="succeeded")
        payment.status = Payment.Status.AUTHORIZED
        payment.authorized_amount = _amount(obj, "amount_capturable", payment) or payment.amount
        payment.save(update_fields=["status", "authorized_amount", "updated_at"])
        _resume_order(payment)
        return "authorized"
    if kind == "payment_intent.payment_failed":
        if payment.status not in WAITING:
            return f"already {payment.status}"
        error = obj.get("last_payment_error") if isinstance(obj.get("last_payment_error"), dict) else {}
        code = str(error.get("decline_code") or error.get("code") or "payment_failed")[:50]
        _settle_authorization(payment, outcome="declined", error_code=code, message=str(error.get("message") or ""))
        payment.status = Payment.Status.DECLINED
        payment.save(update_fields=["status", "updated_at"])
        _resume_order(payment)
        return "declined"
    if kind == "payment_intent.succeeded":
        if payment.status != Payment.Status.AUTHORIZED:
            return f"already {payment.status}"
        payment.status = Payment.Status.CAPTURED
        payment.captured_amount = _amount(obj, "amount_received", payment) or payment.amount
        payment.save(update_fields=["status", "captured_amount", "updated_at"])
        _tell_order(payment, f"Stripe: payment captured, {payment.captured_amount} {payment.currency}")
        return "captured"
    if kind == "charge.refunded":
        refunded = _amount(obj, "amount_refunded", payment)
        if refunded is None or refunded <= payment.refunded_amount:
            return "nothing new refunded"
        payment.refunded_amount = min(refunded, payment.captured_amount)
        if payment.refunded_amount == payment.captured_amount:
            payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["status", "refunded_amount", "updated_at"])
        _tell_order(payment, f"Stripe: {payment.refunded_amount} {payment.currency} refunded in all")
        return "refunded"
    return "ignored"


def _settle_authorization(payment: Payment, *, outcome: str, error_code: str = "", message: str = "") -> None:
    """The authorize call's recorded answer was "pending": now it is known. A retried authorization finds
    this final answer under its idempotency key instead of asking Stripe again."""
    GatewayTransaction.objects.filter(payment=payment, kind="authorize", outcome="pending").update(
        outcome=outcome, error_code=error_code, message=(message or f"Stripe: {outcome} by webhook")[:255]
    )


def _tell_order(payment: Payment, note: str) -> None:
    outbox.enqueue(
        "orders.tasks.record_order_payment_news_task", queue="payments", order_id=payment.order_id, note=note
    )


def _resume_order(payment: Payment) -> None:
    outbox.enqueue(
        "orders.tasks.pay_order_task",
        queue="payments",
        dedupe_key=f"payment-{payment.pk}-webhook-{payment.status}",
        order_id=payment.order_id,
    )
