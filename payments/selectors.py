"""Reads of payments that pages and other apps share: open invoices and what a customer owes on account."""

from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest

from oms.money import ZERO, quantize
from payments.models import Payment

# An invoice is open from authorization until the customer pays it (settled).
OPEN_INVOICE_STATUSES = (Payment.Status.AUTHORIZED, Payment.Status.CAPTURED)


def payment_list_open_invoices() -> QuerySet[Payment]:
    """On-account payments whose invoice is open (authorized or captured, not settled): the payments' partial
    index holds just these, a few rows however many orders there are."""
    return Payment.objects.filter(method=Payment.Method.ON_ACCOUNT, status__in=OPEN_INVOICE_STATUSES)


def invoice_owed():
    """What an on-account payment still owes, as an expression: its amount less the receipts and the credit
    notes (its refunds), never below zero. ``Payment.balance_due`` says the same of one row."""
    return Greatest(F("amount") - F("received_amount") - F("refunded_amount"), Value(ZERO))


def customer_outstanding_balance(*, customer_id: int, exclude_order_id: int | None = None) -> Decimal:
    """What the customer owes on open invoices (on-account payments not yet settled, less part payments received
    and credit notes).

    Pending counts too: an on-account order that passed its credit check is owed even before the invoice opens.
    """
    queryset = Payment.objects.filter(
        Q(status__in=OPEN_INVOICE_STATUSES) | Q(status=Payment.Status.PENDING, credit_reserved=True),
        order__customer_id=customer_id,
        method=Payment.Method.ON_ACCOUNT,
    )
    if exclude_order_id is not None:
        queryset = queryset.exclude(order_id=exclude_order_id)
    total = queryset.aggregate(total=Sum(invoice_owed()))["total"]
    return quantize(total or ZERO)


def payment_latest_for_order(*, order_id: int) -> Payment | None:
    """The order's current payment (the latest; earlier ones were declined or replaced), with its receipts."""
    return Payment.objects.filter(order_id=order_id).prefetch_related("receipts").order_by("-pk").first()
