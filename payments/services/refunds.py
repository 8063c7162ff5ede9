"""Giving money back: a partial or whole refund of a payment, by the way it was paid.

- card: a refund through the gateway (the test gateway refunds), under the caller's idempotency key;
- on account: a credit note (CN-<year>-<sequence>) that takes its amount off the invoice, so the customer's
  outstanding balance (the credit check, the finance pages) drops by it;
- cash and bank transfer: the money goes back by hand; the refund records who, when and the reference.

Never more than was captured less what was refunded already: the check and the reservation happen under a
row lock on the payment, so two refunds at once cannot add up to more. The card gateway is called after that
lock is released (as every gateway call in this app), a declined refund gives its reservation back.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from oms.exceptions import ConflictError, DomainError, InvalidInput
from payments.gateways import gateway_for
from payments.models import CreditNote, CreditNoteSequence, GatewayTransaction, Payment, Refund
from payments.services.charges import document_number_next, gateway_call

# What a refund can be taken from: money captured (or an invoice whose goods shipped), paid or not yet.
REFUNDABLE_STATUSES = (Payment.Status.CAPTURED, Payment.Status.SETTLED)
KEY_MAX_LENGTH = 80
_KIND_BY_METHOD = {
    Payment.Method.CARD: Refund.Kind.GATEWAY,
    Payment.Method.ON_ACCOUNT: Refund.Kind.CREDIT_NOTE,
    Payment.Method.CASH: Refund.Kind.MANUAL,
    Payment.Method.BANK_TRANSFER: Refund.Kind.MANUAL,
}


class RefundTooLarge(DomainError):
    """More than what was captured and not refunded yet (a broken business rule: 422)."""

    code = "refund_exceeds_captured"


def refund_kind_for(*, method: str) -> str | None:
    """How a payment of ``method`` is refunded (a Refund.Kind), None when it gives nothing back (exchange)."""
    return _KIND_BY_METHOD.get(method)


def payment_refundable(*, payment: Payment) -> Decimal:
    """What may still be refunded on ``payment``: captured less refunded (refunds in flight included)."""
    if payment.status not in REFUNDABLE_STATUSES:
        return Decimal("0.00")
    return payment.captured_amount - payment.refunded_amount


def payment_refund(
    *,
    payment_id: int,
    amount: Decimal,
    reason: str,
    reference: str = "",
    key: str,
    recorded_by: str = "",
    refunded_on: date | None = None,
) -> Refund:
    """Refund ``amount`` of the payment by its method (see the module); returns the Refund.

    ``key`` is the caller's idempotency key: a second call with it returns the first refund and gives nothing
    back twice (a card refund left pending by a gateway timeout is sent again under the same gateway key).
    ``recorded_by`` is who gave the money back (a username), ``reference`` the bank's or the till's
    reference, ``refunded_on`` the day (default today).

    Raises InvalidInput (``amount``, ``key``) for bad input, ConflictError when nothing was captured to
    refund, RefundTooLarge when ``amount`` is more than may still be refunded; nothing is written then.
    A card refund the gateway declines comes back with status ``failed`` and nothing refunded;
    GatewayUnavailable (retryable) leaves it pending, still counted, until retried with the same key.
    """
    _check_input(amount=amount, key=key)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        refund = Refund.objects.filter(key=key).first()
        if refund is None:
            refund = _reserve(
                payment,
                amount=amount,
                reason=reason,
                reference=reference,
                key=key,
                recorded_by=recorded_by,
                refunded_on=refunded_on or timezone.localdate(),
            )
    if refund.status == Refund.Status.PENDING:
        refund = _send_to_gateway(refund)
    return refund


def _check_input(*, amount: Decimal, key: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount != round(amount, 2):
        message = "Enter an amount more than 0, in cents at most."
        raise InvalidInput(message, code="invalid_amount", fields={"amount": [message]})
    if not key or len(key) > KEY_MAX_LENGTH:
        message = f"An idempotency key of 1 to {KEY_MAX_LENGTH} characters is needed."
        raise InvalidInput(message, code="invalid_key", fields={"key": [message]})


def _reserve(payment: Payment, *, amount, reason, reference, key, recorded_by, refunded_on) -> Refund:
    """Under the payment's row lock: check the amount, count it as refunded and write the refund's records."""
    if payment.status not in REFUNDABLE_STATUSES:
        raise ConflictError(
            f"Nothing to refund: the payment is {payment.get_status_display().lower()}.", code="not_refundable"
        )
    refundable = payment_refundable(payment=payment)
    if amount > refundable:
        message = f"At most {refundable} {payment.currency} can still be refunded on this payment."
        raise RefundTooLarge(message, fields={"amount": [message]})
    kind = refund_kind_for(method=payment.method)
    if kind is None:
        raise ConflictError("Nothing was paid for this order: it is a replacement.", code="not_refundable")
    refund = Refund.objects.create(
        payment=payment,
        kind=kind,
        status=Refund.Status.PENDING if kind == Refund.Kind.GATEWAY else Refund.Status.SUCCEEDED,
        amount=amount,
        reason=reason[:255],
        reference=reference.strip()[:100],
        refunded_on=refunded_on,
        recorded_by=recorded_by[:150],
        key=key,
    )
    payment.refunded_amount += amount
    if kind == Refund.Kind.CREDIT_NOTE:
        note = CreditNote.objects.create(
            payment=payment,
            refund=refund,
            number=document_number_next(CreditNoteSequence, prefix="CN", year=refunded_on.year),
            amount=amount,
            issued_on=refunded_on,
            reason=refund.reason,
        )
        _record(refund, reference=note.number, message=f"Credit note {note.number} issued {refunded_on:%d %b %Y}")
        _close_invoice_if_nothing_due(payment, on=refunded_on)
    elif kind == Refund.Kind.MANUAL:
        who = f" by {recorded_by}" if recorded_by else ""
        _record(refund, reference=refund.reference, message=f"Paid back{who} {refunded_on:%d %b %Y}")
    if kind != Refund.Kind.GATEWAY:
        _mark_refunded_when_whole(payment)
    payment.save(update_fields=["refunded_amount", "status", "settled_on", "updated_at"])
    return refund


def _record(refund: Refund, *, reference: str, message: str) -> None:
    """The refund as a succeeded transaction on the payment, where its summary and timeline are read."""
    refund.transaction = GatewayTransaction.objects.create(
        payment=refund.payment,
        kind=GatewayTransaction.Kind.REFUND,
        outcome=GatewayTransaction.Outcome.SUCCEEDED,
        idempotency_key=f"refund-{refund.key}",
        amount=refund.amount,
        reference=reference[:100],
        message=message[:255],
    )
    refund.save(update_fields=["transaction"])


def _close_invoice_if_nothing_due(payment: Payment, *, on: date) -> None:
    """An open invoice that receipts and credit notes together pay in full is settled: it no longer counts."""
    if payment.status == Payment.Status.CAPTURED and payment.balance_due == 0 and payment.received_amount > 0:
        payment.status = Payment.Status.SETTLED
        payment.settled_on = on


def _mark_refunded_when_whole(payment: Payment) -> None:
    if payment.refunded_amount == payment.captured_amount:
        payment.status = Payment.Status.REFUNDED


def _send_to_gateway(refund: Refund) -> Refund:
    payment = refund.payment
    gateway = gateway_for(payment.method)
    gateway_key = f"refund-{refund.key}"
    tx = gateway_call(
        payment,
        GatewayTransaction.Kind.REFUND,
        gateway_key,
        refund.amount,
        lambda: gateway.refund(reference=payment.gateway_reference, amount=refund.amount, idempotency_key=gateway_key),
    )
    if tx.outcome == GatewayTransaction.Outcome.PENDING:
        return refund
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != Refund.Status.PENDING:  # a concurrent retry finished it
            return refund
        refund.transaction = tx
        if tx.outcome == GatewayTransaction.Outcome.SUCCEEDED:
            refund.status = Refund.Status.SUCCEEDED
            _mark_refunded_when_whole(payment)
            payment.save(update_fields=["status", "updated_at"])
        else:
            refund.status = Refund.Status.FAILED
            Payment.objects.filter(pk=payment.pk).update(refunded_amount=F("refunded_amount") - refund.amount)
        refund.save(update_fields=["status", "transaction"])
    refund.payment.refresh_from_db()
    return refund
