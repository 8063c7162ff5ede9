"""Taking money: create, authorize, capture, void/cancel, record funds received, settle invoices, credit checks.

Gateway calls happen outside database transactions (no lock is held while a remote party thinks), and
each is recorded as a :class:`GatewayTransaction`. A call whose key already has a final answer is not
made again: the recorded answer is returned.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from oms.exceptions import ConflictError, InvalidInput
from oms.money import ZERO
from payments.exceptions import GatewayUnavailable, PaymentDeclined
from payments.gateways import GatewayResult, gateway_for
from payments.models import GatewayTransaction, Invoice, InvoiceSequence, Payment, PaymentReceipt
from payments.selectors import OPEN_INVOICE_STATUSES, customer_outstanding_balance

TOKEN_MAX_LENGTH = Payment._meta.get_field("token").max_length
# What card terminals and gateways hand out as tokens: visible ASCII, no spaces (e.g. tok_1Nv0..., pm_...).
_TOKEN = re.compile(r"[!-~]+")


def payment_new(*, order_id: int, method: str, token: str, amount: Decimal, currency: str) -> Payment:
    """The payment of a new order, not yet stored (placement inserts it with the order)."""
    return Payment(order_id=order_id, method=method, token=token, amount=amount, currency=currency)


def payment_create(*, order_id: int, method: str, token: str, amount: Decimal, currency: str) -> Payment:
    payment = payment_new(order_id=order_id, method=method, token=token, amount=amount, currency=currency)
    payment.save(force_insert=True)
    return payment


def card_token_error(token: str) -> str:
    """Why ``token`` cannot be a card token, or "" when it can: one rule for forms, the API and services."""
    if not token:
        return "Enter the new card's token."
    if len(token) > TOKEN_MAX_LENGTH:
        return f"A card token has at most {TOKEN_MAX_LENGTH} characters; this one has {len(token)}."
    if not _TOKEN.fullmatch(token):
        return "A card token is letters, digits and punctuation only, without spaces or control characters."
    return ""


def gateway_call(payment: Payment, kind: str, key: str, amount: Decimal, call) -> GatewayTransaction:
    final = GatewayTransaction.objects.filter(idempotency_key=key).exclude(outcome="error").first()
    if final is not None:
        return final
    try:
        result: GatewayResult = call()
    except GatewayUnavailable as exc:
        GatewayTransaction.objects.create(
            payment=payment,
            kind=kind,
            outcome="error",
            idempotency_key=key,
            amount=amount,
            error_code=exc.code,
            message=exc.message[:255],
        )
        raise
    try:
        with transaction.atomic():
            return GatewayTransaction.objects.create(
                payment=payment,
                kind=kind,
                outcome=result.outcome,
                idempotency_key=key,
                amount=amount,
                reference=result.reference,
                error_code=result.error_code,
                message=result.message[:255],
            )
    except IntegrityError:
        # A concurrent run of the same call recorded first; its answer is the answer.
        return GatewayTransaction.objects.get(idempotency_key=key, outcome__in=["succeeded", "pending", "declined"])


def payment_authorize(*, payment_id: int) -> Payment:
    """Ask the gateway to authorize; raises GatewayUnavailable (retryable) when it does not answer."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.status != Payment.Status.PENDING and payment.status != Payment.Status.DECLINED:
        return payment
    Payment.objects.filter(pk=payment.pk).update(attempts=payment.attempts + 1)
    gateway = gateway_for(payment.method)
    key = f"payment-{payment.pk}-authorize-{token_digest(payment.token)}"
    tx = gateway_call(
        payment,
        "authorize",
        key,
        payment.amount,
        lambda: gateway.authorize(
            amount=payment.amount, currency=payment.currency, token=payment.token, idempotency_key=key
        ),
    )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        cancelled_meanwhile = payment.status == Payment.Status.VOIDED
        if cancelled_meanwhile:
            # The order was cancelled while the gateway answered: the payment stays voided, and an
            # authorization it gave must be released, or the customer's money (or credit) stays held.
            payment.gateway_reference = tx.reference
            payment.save(update_fields=["gateway_reference", "updated_at"])
        else:
            if tx.outcome == "succeeded":
                payment.status = Payment.Status.AUTHORIZED
                # What the gateway holds: the amount asked for (an order changed meanwhile may expect another).
                payment.authorized_amount = tx.amount
                if payment.method == Payment.Method.ON_ACCOUNT:
                    invoice_issue(payment_id=payment.pk)  # the invoice opens: it gets its number and due date
            elif tx.outcome == "pending":
                payment.status = Payment.Status.AWAITING_FUNDS
            else:
                payment.status = Payment.Status.DECLINED
            payment.gateway_reference = tx.reference
            payment.save(update_fields=["status", "authorized_amount", "gateway_reference", "updated_at"])
    if cancelled_meanwhile and tx.outcome == "succeeded":
        _void(payment, gateway, amount=payment.amount)
    return payment


def token_digest(token: str) -> str:
    """A card token as it may be stored in keys and logs: a short SHA-256 digest, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def _void(payment: Payment, gateway, *, amount: Decimal) -> GatewayTransaction:
    key = f"payment-{payment.pk}-void"
    return gateway_call(
        payment,
        "void",
        key,
        amount,
        lambda: gateway.void(reference=payment.gateway_reference, idempotency_key=key),
    )


def payment_last_error(*, payment: Payment) -> str:
    tx = payment.transactions.exclude(outcome="succeeded").order_by("-pk").first()
    return tx.message if tx else ""


@transaction.atomic
def payment_record_funds(*, payment_id: int, reference: str = "", received_on: date | None = None) -> Payment:
    """Staff saw the bank transfer (or took the cash): the payment counts as authorized and captured.

    ``reference`` is the bank's reference of the transfer that paid (default: the payment's own gateway
    reference) and ``received_on`` the day the funds arrived; both go on the transaction, so finance can
    match it to the statement. Recorded once under a fixed key: a second call changes nothing.
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    message = f"Funds received {received_on:%d %b %Y}" if received_on else "Funds received"
    GatewayTransaction.objects.get_or_create(
        idempotency_key=f"payment-{payment.pk}-funds-received",
        defaults={
            "payment": payment,
            "kind": "capture",
            "outcome": "succeeded",
            "amount": payment.balance_due,
            "reference": (reference.strip() or payment.gateway_reference)[:100],
            "message": message,
        },
    )
    _receipt_rest(payment, received_on=received_on, reference=reference)
    payment.status = Payment.Status.CAPTURED
    payment.authorized_amount = payment.amount
    payment.captured_amount = payment.amount
    payment.save(update_fields=["status", "authorized_amount", "captured_amount", "updated_at"])
    return payment


def _receipt_rest(payment: Payment, *, received_on: date | None, reference: str) -> None:
    """The payment is paid in full now: what had not arrived yet goes on the ledger as one receipt (less
    what credit notes took off an invoice)."""
    rest = payment.balance_due
    if rest > 0:
        PaymentReceipt.objects.create(
            payment=payment,
            amount=rest,
            received_on=received_on or timezone.localdate(),
            reference=reference.strip()[:100],
        )
        payment.received_amount += rest
        payment.save(update_fields=["received_amount", "updated_at"])


# A part payment can be taken while the money is awaited: a bank transfer before it is marked paid, an
# on-account invoice while it is open.
_RECEIVABLE = {
    Payment.Method.BANK_TRANSFER: (Payment.Status.AWAITING_FUNDS,),
    Payment.Method.ON_ACCOUNT: OPEN_INVOICE_STATUSES,
}


@transaction.atomic
def payment_receive(*, payment_id: int, amount: Decimal, received_on: date, reference: str = "") -> Payment:
    """Part of a bank transfer or an on-account invoice arrived: a receipt on the ledger, the rest stays due.

    ``amount`` is more than zero and at most what is still due (InvalidInput on ``amount`` otherwise, nothing
    written); ConflictError when the payment is not waiting for money. The caller moves the order on when
    nothing is due any more (``payment.balance_due`` is zero).
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status not in _RECEIVABLE.get(payment.method, ()):
        raise ConflictError(
            f"The payment is {payment.get_status_display().lower()}: it is not waiting for money.",
            code="not_receivable",
        )
    due = payment.balance_due
    if amount <= 0 or amount > due:
        message = (
            f"Enter an amount more than 0 and at most the {due} {payment.currency} still due."
            if amount > 0
            else "Enter an amount more than 0."
        )
        raise InvalidInput(message, code="invalid_amount", fields={"amount": [message]})
    PaymentReceipt.objects.create(payment=payment, amount=amount, received_on=received_on, reference=reference[:100])
    Payment.objects.filter(pk=payment.pk).update(received_amount=F("received_amount") + amount)
    payment.refresh_from_db()
    return payment


@transaction.atomic
def invoice_issue(*, payment_id: int, issued_on: date | None = None) -> Invoice:
    """The invoice of an on-account payment, issued once: the next number of the year, due after the terms.

    The number is INV-<year>-<six digits>, from the year's row in InvoiceSequence taken under a row lock, so
    two invoices issued at once never share a number and none is skipped. A payment whose invoice exists
    gets that one back. The due date is the issue date plus the customer's payment terms in days (read
    through the order, named by string: this app imports no order code).
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    existing = Invoice.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    if payment.method != Payment.Method.ON_ACCOUNT:
        raise ConflictError("Only on-account payments are invoiced.", code="not_on_account")
    issued_on = issued_on or timezone.localdate()
    terms = Payment.objects.filter(pk=payment.pk).values_list("order__customer__payment_terms_days", flat=True)[0]
    return Invoice.objects.create(
        payment=payment,
        number=document_number_next(InvoiceSequence, prefix="INV", year=issued_on.year),
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=terms),
    )


def document_number_next(sequence_model, *, prefix: str, year: int) -> str:
    """The next number of a yearly document series (``<prefix>-<year>-<six digits>``), never repeated nor
    skipped: the year's row of ``sequence_model`` is locked to take it (the caller is in a transaction)."""
    sequence_model.objects.get_or_create(year=year)
    sequence = sequence_model.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{year}-{sequence.last:06d}"


@transaction.atomic
def payment_settle(*, payment_id: int, received_on: date, reference: str = "") -> Payment:
    """The customer paid the invoice of an on-account payment in full: it stops counting as outstanding.

    No gateway is called (the money came by bank transfer or cheque); the settlement is recorded as a
    transaction under a fixed idempotency key, so it can never be recorded twice, even by two requests
    racing past the status check. Raises ConflictError when there is no open invoice to settle.
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.method != Payment.Method.ON_ACCOUNT:
        raise ConflictError("Only on-account payments have an invoice to settle.", code="not_on_account")
    if payment.status == Payment.Status.SETTLED:
        raise ConflictError(
            f"The invoice was already recorded as paid (received {payment.settled_on:%d %b %Y}).",
            code="invoice_already_settled",
        )
    if payment.status not in OPEN_INVOICE_STATUSES:
        raise ConflictError(
            f"There is no open invoice to settle: the payment is {payment.get_status_display().lower()}.",
            code="no_open_invoice",
        )
    try:
        with transaction.atomic():
            GatewayTransaction.objects.create(
                payment=payment,
                kind=GatewayTransaction.Kind.SETTLE,
                outcome=GatewayTransaction.Outcome.SUCCEEDED,
                idempotency_key=f"payment-{payment.pk}-settle",
                amount=payment.balance_due,
                reference=reference[:100],
                message=f"Received {received_on:%d %b %Y}",
            )
    except IntegrityError:
        raise ConflictError("The invoice was already recorded as paid.", code="invoice_already_settled") from None
    _receipt_rest(payment, received_on=received_on, reference=reference)
    payment.status = Payment.Status.SETTLED
    payment.authorized_amount = payment.amount
    payment.captured_amount = payment.amount
    payment.settled_on = received_on
    payment.save(update_fields=["status", "authorized_amount", "captured_amount", "settled_on", "updated_at"])
    return payment


def payment_capture(*, payment_id: int) -> Payment:
    payment = Payment.objects.get(pk=payment_id)
    if payment.status != Payment.Status.AUTHORIZED:
        return payment
    gateway = gateway_for(payment.method)
    key = f"payment-{payment.pk}-capture"
    # Never more than the gateway holds (an order that grew while its card was being authorized), and what parts
    # of an order shipped in parts took already is not taken again: the rest, in one capture.
    rest = min(payment.amount, payment.authorized_amount) - payment.captured_amount
    tx = gateway_call(
        payment,
        "capture",
        key,
        rest,
        lambda: gateway.capture(reference=payment.gateway_reference, amount=rest, idempotency_key=key),
    )
    if tx.outcome == "succeeded":
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            if payment.status == Payment.Status.AUTHORIZED:
                payment.status = Payment.Status.CAPTURED
                payment.captured_amount += tx.amount  # after any parts captured before
                payment.save(update_fields=["status", "captured_amount", "updated_at"])
    return payment


# --- Partial captures: an order shipped in parts is charged per shipment ------------------------------------


def payment_capture_part(*, payment_id: int, amount: Decimal | None, key: str) -> Payment:
    """Capture ``amount`` of an authorized payment for one part of the order (``key`` names it, e.g.
    ``shipment-12``); the payment stays authorized for the rest until its captures add up to its amount.
    ``amount`` None is the last part: everything not captured yet.

    Once per key: a second call for the same part captures nothing (the gateway's recorded answer is
    reused). A part is cut to what is still uncaptured, so the captures never add up to more than the
    payment; the capture that reaches the amount is the gateway's final one. A payment no longer authorized
    (captured whole, voided, paid by transfer) is returned as it is.
    """
    payment = Payment.objects.get(pk=payment_id)
    idempotency_key = f"payment-{payment.pk}-capture-{key}"
    done = GatewayTransaction.objects.filter(idempotency_key=idempotency_key).exclude(outcome="error").exists()
    if payment.status != Payment.Status.AUTHORIZED or done:
        return payment
    rest = payment.amount - captured_total(payment=payment)
    amount = rest if amount is None else min(amount, rest)
    if amount <= 0:
        return payment
    final = captured_total(payment=payment) + amount >= payment.amount
    gateway = gateway_for(payment.method)
    tx = gateway_call(
        payment,
        "capture",
        idempotency_key,
        amount,
        lambda: gateway.capture_part(
            reference=payment.gateway_reference, amount=amount, final=final, idempotency_key=idempotency_key
        ),
    )
    if tx.outcome == "succeeded":
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            if payment.status == Payment.Status.AUTHORIZED:
                payment.captured_amount = min(captured_total(payment=payment), payment.amount)
                if payment.captured_amount == payment.amount:
                    payment.status = Payment.Status.CAPTURED
                payment.save(update_fields=["status", "captured_amount", "updated_at"])
    return payment


def captured_total(*, payment: Payment) -> Decimal:
    """What the payment's successful captures add up to."""
    total = GatewayTransaction.objects.filter(payment=payment, kind="capture", outcome="succeeded").aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


# --- end of partial captures --------------------------------------------------------------------------------


def payment_cancel(*, payment_id: int) -> Payment:
    """Void an authorization, or refund what was captured; a pending payment is simply dropped."""
    not_yet_paid = (Payment.Status.PENDING, Payment.Status.AWAITING_FUNDS, Payment.Status.DECLINED)
    payment = Payment.objects.get(pk=payment_id)
    gateway = gateway_for(payment.method)
    # Conditional, so an authorization finishing at this moment is not overwritten: if the status moved on
    # (say to authorized), nothing is updated and the payment is read again and voided at the gateway.
    while payment.status in not_yet_paid:
        if Payment.objects.filter(pk=payment.pk, status=payment.status).update(status=Payment.Status.VOIDED):
            payment.refresh_from_db()
            return payment
        payment.refresh_from_db()
    if payment.status == Payment.Status.AUTHORIZED:
        tx = _void(payment, gateway, amount=payment.authorized_amount)
        if tx.outcome == "succeeded":
            Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.VOIDED)
    elif payment.status in (Payment.Status.CAPTURED, Payment.Status.SETTLED):
        # A settled invoice was paid by the customer: cancelling owes them the money back, as for a capture.
        amount = payment.captured_amount - payment.refunded_amount
        key = f"payment-{payment.pk}-refund-{amount}"
        tx = gateway_call(
            payment,
            "refund",
            key,
            amount,
            lambda: gateway.refund(reference=payment.gateway_reference, amount=amount, idempotency_key=key),
        )
        if tx.outcome == "succeeded":
            Payment.objects.filter(pk=payment.pk).update(
                status=Payment.Status.REFUNDED, refunded_amount=payment.captured_amount
            )
    payment.refresh_from_db()
    return payment


# --- the amount changes after payment began (an order's lines changed) -----------------------------------------
# Not yet taken: the amount is only what will be asked for.
_NOT_TAKEN = (Payment.Status.PENDING, Payment.Status.DECLINED, Payment.Status.AWAITING_FUNDS)


def payment_authorization_request(*, payment_id: int, amount: Decimal) -> GatewayTransaction:
    """Ask the gateway for a new authorization of ``amount`` on the payment's card; call it outside any transaction.

    The payment itself does not change: ``payment_authorization_swap`` makes the new authorization the
    payment's (in the caller's transaction), and ``payment_authorization_void`` lets go of the one it replaced,
    or of this one when the change is given up. Each request has its own key: a card declined once may be
    asked again later. Raises PaymentDeclined (declined, or the card wants the customer to confirm it: that
    half-made authorization is voided at once) and GatewayUnavailable.
    """
    payment = Payment.objects.get(pk=payment_id)
    gateway = gateway_for(payment.method)
    key = f"payment-{payment.pk}-reauthorize-{secrets.token_hex(8)}"
    tx = gateway_call(
        payment,
        "authorize",
        key,
        amount,
        lambda: gateway.authorize(amount=amount, currency=payment.currency, token=payment.token, idempotency_key=key),
    )
    if tx.outcome == GatewayTransaction.Outcome.SUCCEEDED:
        return tx
    if tx.outcome == GatewayTransaction.Outcome.PENDING and tx.reference:
        payment_authorization_void(payment_id=payment.pk, reference=tx.reference, amount=amount)
        raise PaymentDeclined("The card asks the customer to confirm the payment; it was not authorized.")
    raise PaymentDeclined(tx.message or "The card was declined.")


@transaction.atomic
def payment_authorization_swap(*, payment_id: int, transaction_id: int, amount: Decimal) -> str:
    """Make the authorization of ``transaction_id`` the payment's, capturing ``amount`` (at most what it
    holds); returns the gateway reference of the authorization it replaces, for the caller to void once its
    transaction commits. ConflictError when the payment is no longer authorized."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status != Payment.Status.AUTHORIZED:
        raise ConflictError(
            f"The payment is {payment.get_status_display().lower()} now: it cannot be authorized again.",
            code="payment_changed",
        )
    tx = GatewayTransaction.objects.get(pk=transaction_id, payment=payment, outcome="succeeded")
    replaced = payment.gateway_reference
    payment.gateway_reference = tx.reference
    payment.authorized_amount = tx.amount
    payment.amount = min(amount, tx.amount)
    payment.save(update_fields=["gateway_reference", "authorized_amount", "amount", "updated_at"])
    return replaced


def payment_authorization_void(*, payment_id: int, reference: str, amount: Decimal) -> GatewayTransaction:
    """Let go of an authorization that is not (or no longer) the payment's; outside any transaction.

    Raises GatewayUnavailable when the gateway does not answer (an authorization not voided lapses at the
    card issuer after some days)."""
    payment = Payment.objects.get(pk=payment_id)
    gateway = gateway_for(payment.method)
    key = f"payment-{payment.pk}-void-{reference}"[:100]
    return gateway_call(payment, "void", key, amount, lambda: gateway.void(reference=reference, idempotency_key=key))


@transaction.atomic
def payment_amount_change(*, payment_id: int, amount: Decimal) -> Payment:
    """The order's total is ``amount`` now: what this payment takes follows where it can.

    - not yet taken (pending, declined, awaiting a transfer): the amount that will be asked for;
    - authorized: the amount to capture, at most what the gateway holds (ConflictError above it: authorize
      again first), the rest of the authorization is released at capture; an on-account invoice is ``amount``;
    - captured, settled, voided or refunded: unchanged, the order shows the balance due or the refund due.

    Never below what was received already (part payments stay on the ledger).
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    amount = max(amount, payment.received_amount)
    if payment.status in _NOT_TAKEN:
        payment.amount = amount
        payment.save(update_fields=["amount", "updated_at"])
    elif payment.status == Payment.Status.AUTHORIZED and payment.method == Payment.Method.ON_ACCOUNT:
        payment.amount = payment.authorized_amount = amount
        payment.save(update_fields=["amount", "authorized_amount", "updated_at"])
    elif payment.status == Payment.Status.AUTHORIZED:
        if amount > payment.authorized_amount:
            raise ConflictError(
                f"{amount} is more than the {payment.authorized_amount} authorized: authorize again first.",
                code="authorization_too_small",
            )
        payment.amount = amount
        payment.save(update_fields=["amount", "updated_at"])
    return payment


@dataclass(frozen=True)
class CreditDecision:
    approved: bool
    reason: str = ""
    outstanding: Decimal = ZERO


def credit_check(
    *, customer_id: int, payment_method: str, on_account: bool, credit_limit: Decimal, amount: Decimal, order_id: int
) -> CreditDecision:
    """Prepaid methods pass; on account needs terms and outstanding + this order <= the credit limit.

    An approved on-account order reserves its amount against the limit at once (before its invoice
    opens); a refused one reserves nothing. The caller holds a lock on the customer row, so two orders
    cannot both squeeze under the limit.
    """
    if payment_method != Payment.Method.ON_ACCOUNT:
        return CreditDecision(True)
    if not on_account:
        return CreditDecision(False, "The customer has no credit terms; ask for a prepaid method.")
    outstanding = customer_outstanding_balance(customer_id=customer_id, exclude_order_id=order_id)
    if outstanding + amount > credit_limit:
        return CreditDecision(
            False,
            f"Credit limit {credit_limit} exceeded: {outstanding} outstanding + {amount} this order.",
            outstanding,
        )
    Payment.objects.filter(order_id=order_id, method=Payment.Method.ON_ACCOUNT, status=Payment.Status.PENDING).update(
        credit_reserved=True
    )
    return CreditDecision(True, outstanding=outstanding)
