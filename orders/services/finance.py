"""Finance acts on an order's payment: a bank transfer arrived, an on-account invoice was paid, a card is retried.

Each is refused with a domain error, and change nothing, when the order is not in a state that allows
them; ``invoice_settle_possible`` and ``payment_retry_possible`` tell the pages when to offer them.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from oms.exceptions import ConflictError, InvalidInput
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import HoldReason, Order, OrderStatus
from orders.services.backorders import order_backorders_queue
from orders.services.common import (
    PAYMENT_SUMMARY_FIELDS,
    event_record,
    order_lock,
    payment_summary_sync,
    transition_apply,
)
from orders.services.lifecycle import _mark_paid
from orders.services.pipeline import auto_stages_run, order_pay
from payments.documents import InvoiceDocument, InvoiceLine, invoice_pdf
from payments.exceptions import GatewayUnavailable
from payments.models import Invoice, Payment
from payments.services import (
    OPEN_INVOICE_STATUSES,
    card_token_error,
    customer_outstanding_balance,
    invoice_issue,
    payment_cancel,
    payment_create,
    payment_receive,
    payment_settle,
)

REFERENCE_MAX_LENGTH = 100


# --- bank transfers: the funds arrived ------------------------------------------------------------------
def order_mark_paid(
    *,
    order_id: int,
    user,
    received_on: date | None = None,
    reference: str = "",
    reason: str = "",
    amount: Decimal | None = None,
) -> Order:
    """Finance saw the bank transfer of an order awaiting funds arrive: the ``mark_paid`` transition, with proof.

    The same transition as ``order_transition(name="mark_paid")`` (same permission, same state check, same
    handler), but it also keeps which transfer paid: ``received_on`` (the day the funds arrived, default
    today; not in the future, not before the order was placed) and the bank's ``reference``, on the
    payment's receipts and in the timeline. ``amount`` (default: all that is still due) may be less than is
    due: a part payment is recorded and the order keeps waiting for the rest; only the last receipt marks
    it paid. Refused input (also an amount over what is due) raises InvalidInput with the field, and
    nothing is written.
    """
    if not user.has_perm("orders.mark_paid"):
        raise TransitionForbidden("You do not have permission to mark paid orders.")
    received_on = received_on or timezone.localdate()
    reference = (reference or "").strip()
    _check_settlement_input(received_on=received_on, reference=reference)
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if not can_proceed(order.mark_paid):
            raise TransitionNotAvailable(f"Cannot mark paid an order that is {order.get_status_display().lower()}.")
        _check_not_before_placed(order, received_on)
        payment = order.payments.order_by("-pk").first()
        if _part_paid(order, payment, user=user, amount=amount, received_on=received_on, reference=reference):
            return order
        return _mark_paid(
            order, actor=user.get_username(), reason=reason.strip(), reference=reference, received_on=received_on
        )


def _part_paid(order: Order, payment: Payment, *, user, amount, received_on: date, reference: str) -> bool:
    """Record ``amount`` when it is less than what is due (True: the order waits for the rest); False when it
    pays the whole balance, which the caller then records as it records a full payment. Over: InvalidInput."""
    if amount is None or amount == payment.balance_due:
        return False
    payment = payment_receive(payment_id=payment.pk, amount=amount, received_on=received_on, reference=reference)
    if payment.balance_due == 0:  # a race paid the rest meanwhile: cannot happen under the order lock
        return False
    note = f"Part payment received {received_on:%d %b %Y}: {amount} {payment.currency}"
    note += f", reference {reference}." if reference else "."
    note += (
        f" Paid {payment.received_amount} of {payment.amount}, balance due {payment.balance_due} {payment.currency}."
    )
    event_record(order=order, actor=user.get_username(), note=note)
    return True


def mark_paid_possible(*, order: Order) -> bool:
    """A bank transfer order awaiting its funds (the state and guard of ``mark_paid``)."""
    return can_proceed(order.mark_paid)


def _check_not_before_placed(order: Order, received_on: date) -> None:
    placed_on = timezone.localdate(order.placed_at)
    if received_on < placed_on:
        message = f"The order was placed on {placed_on:%d %b %Y}; the payment cannot have arrived before."
        raise InvalidInput(message, code="invalid_date", fields={"received_on": [message]})


# --- on-account invoices -------------------------------------------------------------------------------
def invoice_settle_possible(*, order: Order) -> bool:
    """An on-account order whose invoice is open (by its payment summary) and that is not cancelled."""
    return (
        order.payment_method == Payment.Method.ON_ACCOUNT
        and order.payment_status in OPEN_INVOICE_STATUSES
        and order.status != OrderStatus.CANCELLED
    )


def order_invoice_settle(
    *, order_id: int, user, received_on: date | None = None, reference: str = "", amount: Decimal | None = None
) -> Order:
    """Record that the customer paid the invoice of an on-account order: in full, or part of it (``amount``).

    An ``amount`` less than what is still due is a part payment: a receipt, the timeline, and the invoice stays
    open for the rest (it frees that much of the customer's credit); the receipt that pays the rest settles it.

    The payment is settled (a transaction row under a fixed key, so never twice), no longer counts
    against the customer's credit limit, the order's payment summary shows it, and the timeline says
    who recorded it. ``received_on`` is the day the money arrived (default today); ``reference`` is the
    bank's or the customer's reference for the transfer. Needs ``orders.mark_paid``.
    """
    if not user.has_perm("orders.mark_paid"):
        raise TransitionForbidden("You do not have permission to record invoice payments.")
    received_on = received_on or timezone.localdate()
    reference = (reference or "").strip()
    _check_settlement_input(received_on=received_on, reference=reference)
    actor = user.get_username()
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        invoice = _open_invoice(order)
        _check_not_before_placed(order, received_on)
        if invoice.status != Payment.Status.SETTLED and _part_paid(
            order, invoice, user=user, amount=amount, received_on=received_on, reference=reference
        ):
            return order
        paid_now = invoice.balance_due
        payment = payment_settle(payment_id=invoice.pk, received_on=received_on, reference=reference)
        payment_summary_sync(order, payment)
        order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
        outstanding = customer_outstanding_balance(customer_id=order.customer_id)
        note = f"Invoice paid: {payment.amount} {payment.currency}, the last {paid_now} received {received_on:%d %b %Y}"
        if paid_now == payment.amount:
            note = f"Invoice paid: {payment.amount} {payment.currency} received {received_on:%d %b %Y}"
        note += f", reference {reference}." if reference else "."
        note += f" The customer now owes {outstanding} {payment.currency} on account."
        event_record(order=order, actor=actor, note=note)
    return order


def _check_settlement_input(*, received_on: date, reference: str) -> None:
    errors = {}
    if received_on > timezone.localdate():
        errors["received_on"] = ["The payment cannot have arrived in the future."]
    if len(reference) > REFERENCE_MAX_LENGTH:
        errors["reference"] = [f"At most {REFERENCE_MAX_LENGTH} characters."]
    elif not reference.isprintable():
        errors["reference"] = ["Only printable characters, on one line."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)


def _open_invoice(order: Order) -> Payment:
    """The order's on-account payment whose invoice is open; ConflictError saying why there is none."""
    if order.status == OrderStatus.CANCELLED:
        raise ConflictError(
            f"Order {order.number} is cancelled: its invoice is void, there is nothing to record.",
            code="order_cancelled",
        )
    if order.payment_method != Payment.Method.ON_ACCOUNT:
        method = dict(Payment.Method.choices).get(order.payment_method, order.payment_method)
        raise ConflictError(
            f"Order {order.number} is paid by {method.lower()}, not on account: it has no invoice to settle.",
            code="not_on_account",
        )
    payment = order.payments.filter(method=Payment.Method.ON_ACCOUNT).order_by("-pk").first()
    if payment is None or payment.status not in (*OPEN_INVOICE_STATUSES, Payment.Status.SETTLED):
        raise ConflictError(
            f"Order {order.number} has no open invoice yet: it has not passed its credit check and payment.",
            code="no_open_invoice",
        )
    return payment  # payment_settle refuses a settled one with its date


def order_invoice_get(*, order_id: int, user) -> Invoice:
    """The invoice of an on-account order whose invoice opened (authorized, captured or settled), issued now
    if it has none yet (an order invoiced before invoices were numbered): dated the day its payment opened.
    ConflictError saying why when the order has no invoice. Needs ``orders.view_order``."""
    if not user.has_perm("orders.view_order"):
        raise TransitionForbidden("You do not have permission to see invoices.")
    order = Order.objects.get(pk=order_id)
    if order.payment_method != Payment.Method.ON_ACCOUNT:
        raise ConflictError(f"Order {order.number} is not on account: it has no invoice.", code="not_on_account")
    payment = (
        order.payments.filter(
            method=Payment.Method.ON_ACCOUNT, status__in=(*OPEN_INVOICE_STATUSES, Payment.Status.SETTLED)
        )
        .order_by("-pk")
        .first()
    )
    if payment is None:
        raise ConflictError(
            f"Order {order.number} has no invoice yet: it has not passed its credit check and payment.",
            code="no_open_invoice",
        )
    return invoice_issue(payment_id=payment.pk, issued_on=timezone.localdate(payment.created_at))


def _seller() -> list[str]:
    """The shop as invoices print it: the account holder bank-transfer customers pay, and that account."""
    name = getattr(settings, "OMS_BANK_ACCOUNT_NAME", "") or "OMS"
    account = [f"IBAN {settings.OMS_BANK_IBAN}"] if getattr(settings, "OMS_BANK_IBAN", "") else []
    account += [f"BIC {settings.OMS_BANK_BIC}"] if getattr(settings, "OMS_BANK_BIC", "") else []
    return [name, *account, settings.DEFAULT_FROM_EMAIL]


def order_invoice_pdf(*, order_id: int, user) -> tuple[str, bytes]:
    """The invoice of an on-account order as a PDF: (file name, bytes). Refused like ``order_invoice_get``."""
    invoice = order_invoice_get(order_id=order_id, user=user)
    order = Order.objects.select_related("customer", "billing_address").get(pk=order_id)
    payment = invoice.payment
    address = order.billing_address
    bill_to = [
        address.name,
        order.customer.name if order.customer.name != address.name else "",
        address.line1,
        address.line2,
        *address.locality_lines(),
        address.country,
        order.customer.email,
    ]
    document = InvoiceDocument(
        number=invoice.number,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        order_number=order.number,
        currency=order.currency,
        seller=_seller(),
        bill_to=bill_to,
        lines=[
            InvoiceLine(
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
            )
            for line in order.lines.order_by("pk")
        ],
        subtotal=order.subtotal,
        shipping=order.shipping_total,
        tax_rate=order.tax_rate,
        tax=order.tax_total,
        total=order.total,
        received=payment.received_amount if payment.status != Payment.Status.SETTLED else payment.amount,
        terms_days=(invoice.due_on - invoice.issued_on).days,
    )
    return f"{invoice.number}.pdf", invoice_pdf(document)


# --- retrying a failed card payment --------------------------------------------------------------------
def payment_retry_possible(*, order: Order) -> bool:
    """On hold because the payment stage failed (declined card, gateway gave up): a new card may be tried."""
    return (
        order.status == OrderStatus.ON_HOLD
        and order.hold_reason == HoldReason.PAYMENT_FAILED
        and order.held_from == OrderStatus.CREDIT_APPROVED
    )


def order_payment_retry(*, order_id: int, token: str, actor: str, user=None) -> Order:
    """Pay an order held for a failed payment with a new card, taken over the phone or from the storefront.

    A new card payment is created (the failed one stays in the history as it was; one that never got an
    answer is voided), the hold is released, and the payment stage runs again: the order ends confirmed
    when the card is authorized, or back on hold (payment failed) when it is declined. The payment stage
    is queued through the outbox as usual and also tried at once, so whoever is on the phone hears the
    answer; if the gateway does not answer now, the queued task keeps retrying.

    ``user`` (staff) needs ``orders.release_order``; a storefront passes no user, only its ``actor`` name.
    """
    if user is not None and not user.has_perm("orders.release_order"):
        raise TransitionForbidden("You do not have permission to retry payments.")
    token = (token or "").strip()
    if problem := card_token_error(token):
        raise InvalidInput(problem, code="invalid_token", fields={"token": [problem]})
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if not payment_retry_possible(order=order):
            raise ConflictError(
                f"Order {order.number} is {_state(order)}: only an order on hold because its payment failed "
                "can be paid with a new card.",
                code="payment_not_failed",
            )
        for stale in order.payments.filter(status__in=[Payment.Status.PENDING, Payment.Status.AWAITING_FUNDS]):
            payment_cancel(payment_id=stale.pk)  # never answered: nothing to void at the gateway
        payment = payment_create(
            order_id=order.pk, method=Payment.Method.CARD, token=token, amount=order.total, currency=order.currency
        )
        note = "New card entered; retrying the payment"
        if order.payment_method != Payment.Method.CARD:
            note += f" (was {order.payment_method.replace('_', ' ')})"
            order.payment_method = Payment.Method.CARD
            order.save(update_fields=["payment_method", "updated_at"])
        payment_summary_sync(order, payment)  # saved with the release
        transition_apply(order, "release", actor=actor, note=note)
        auto_stages_run(order=order)
        order_backorders_queue(order)  # held for payment, it took no arriving stock
    try:
        order_pay(order_id=order_id)
    except GatewayUnavailable:
        pass  # the payment task queued above retries with backoff, then holds the order if it must
    return Order.objects.get(pk=order_id)


def _state(order: Order) -> str:
    if order.status == OrderStatus.ON_HOLD:
        return f"on hold ({order.get_hold_reason_display().lower()})"
    return order.get_status_display().lower()
