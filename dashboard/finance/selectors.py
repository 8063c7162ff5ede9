"""Finance's reads: orders waiting for a bank transfer (to match against the statement) and the ageing of open
on-account invoices. Both are few rows (the status index; the payments' partial index of open invoices)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from oms.money import ZERO, quantize
from orders.models import Order, OrderStatus
from payments.models import Payment
from payments.selectors import payment_list_open_invoices

# ?sort= of the awaiting-funds list: the oldest first by default, as the bank statement is read.
AWAITING_SORTS = {
    "age": ("placed_at", "pk"),
    "-age": ("-placed_at", "-pk"),
    "amount": ("due", "placed_at", "pk"),
    "-amount": ("-due", "placed_at", "pk"),
}


def orders_awaiting_funds(*, sort: str = "age") -> QuerySet[Order]:
    """Orders waiting for their bank transfer, each with ``received`` (part payments so far) and ``due``
    (what is still to come), sorted by ``sort`` (a key of AWAITING_SORTS; unknown ones sort by age)."""
    money = DecimalField(max_digits=12, decimal_places=2)
    received = (
        Payment.objects.filter(order_id=OuterRef("pk"), status=Payment.Status.AWAITING_FUNDS)
        .order_by("-pk")
        .values("received_amount")[:1]
    )
    return (
        Order.objects.filter(status=OrderStatus.CREDIT_APPROVED, payment_status=Payment.Status.AWAITING_FUNDS)
        .select_related("customer")
        .annotate(received=Coalesce(Subquery(received, output_field=money), Value(ZERO), output_field=money))
        .annotate(due=F("total") - F("received"))
        .order_by(*AWAITING_SORTS.get(sort, AWAITING_SORTS["age"]))
    )


def days_waiting(order: Order, *, today: date | None = None) -> int:
    """Whole days since the order was placed (and the transfer has been awaited)."""
    return ((today or timezone.localdate()) - timezone.localdate(order.placed_at)).days


# Days past the due date: (label, first day, last day or None).
AGEING_BUCKETS = (
    ("current", "Current", None, 0),
    ("d1_30", "1–30 days", 1, 30),
    ("d31_60", "31–60 days", 31, 60),
    ("d61_90", "61–90 days", 61, 90),
    ("d90_plus", "Over 90 days", 91, None),
)


def ageing_bucket(days_past_due: int) -> str:
    for key, _label, low, high in AGEING_BUCKETS:
        if (low is None or days_past_due >= low) and (high is None or days_past_due <= high):
            return key
    raise AssertionError(days_past_due)


@dataclass
class AgeingRow:
    """One customer's open invoices in one currency, summed per bucket."""

    customer_id: int
    customer_name: str
    customer_email: str
    currency: str
    buckets: dict[str, Decimal] = field(default_factory=lambda: {key: ZERO for key, *_ in AGEING_BUCKETS})
    invoices: int = 0
    oldest_due: date | None = None

    @property
    def total(self) -> Decimal:
        return quantize(sum(self.buckets.values(), ZERO))

    @property
    def amounts(self) -> list[Decimal]:
        return [self.buckets[key] for key, *_ in AGEING_BUCKETS]


def invoice_ageing(*, today: date | None = None) -> dict:
    """Open on-account invoices (orders not cancelled) by customer and days past due, with totals.

    What is owed on an invoice is its amount less part payments received. An invoice opened before invoices
    were numbered is due its customer's terms after the day its payment was made.
    """
    today = today or timezone.localdate()
    payments = (
        payment_list_open_invoices()
        .exclude(order__status=OrderStatus.CANCELLED)
        .select_related("invoice", "order__customer")
        .order_by("order__customer__name", "order__customer_id", "currency", "pk")
    )
    rows: dict[tuple[int, str], AgeingRow] = {}
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: {key: ZERO for key, *_ in AGEING_BUCKETS})
    for payment in payments:
        customer = payment.order.customer
        invoice = getattr(payment, "invoice", None)
        if invoice is not None:
            due_on = invoice.due_on
        else:
            due_on = timezone.localdate(payment.created_at) + timedelta(days=customer.payment_terms_days)
        owed = payment.balance_due
        key = ageing_bucket((today - due_on).days)
        row = rows.setdefault(
            (customer.pk, payment.currency),
            AgeingRow(customer.pk, customer.name, customer.email, payment.currency),
        )
        row.buckets[key] += owed
        row.invoices += 1
        row.oldest_due = min(row.oldest_due or due_on, due_on)
        totals[payment.currency][key] += owed
    return {
        "buckets": [(key, label) for key, label, *_ in AGEING_BUCKETS],
        "rows": list(rows.values()),
        "totals": [
            {"currency": currency, "amounts": [t[key] for key, *_ in AGEING_BUCKETS], "total": sum(t.values(), ZERO)}
            for currency, t in sorted(totals.items())
        ],
        "today": today,
    }
