"""What the home queues and the order list share: the unshipped and overdue conditions, each work queue's
condition and name, the sort orders (the home's "ready" queue uses the list's priority sort), day boundaries.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from orders.models import HoldReason, Inquiry, Order, OrderLine, OrderStatus
from orders.selectors.waiting import orders_stuck
from payments.models import Payment
from payments.selectors import payment_list_open_invoices
from shipping.models import Shipment, ShippingMethod

S = OrderStatus
# Not yet shipped and not finished: the states in which a promised ship-by date can still be missed.
UNSHIPPED = [S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED, S.FULFILLING, S.ON_HOLD]


SORTS = {
    "-placed": ("-placed_at", "-pk"),
    "placed": ("placed_at", "pk"),
    "-total": ("-total", "-pk"),
    "total": ("total", "pk"),
    "ship_by": ("promised_ship_date", "placed_at", "pk"),
    "number": ("number",),
    "priority": ("ship_priority", "promised_ship_date", "placed_at", "pk"),
}
DEFAULT_SORT = "-placed"


QUEUES = {
    "ready": "Ready to fulfill",
    "overdue": "Overdue",
    "exception": "Carrier exception",
    "inquiry": "Open inquiry",
    "awaiting_funds": "Awaiting funds",
    "unpaid_invoices": "Unpaid invoices",
    "stuck": "Stuck",
    "shipped_today": "Shipped today",
    "payable": "Paid or payable",
    "backordered": "Backordered",
}

# Revenue counts an order that was paid or can still be paid: not cancelled, and not held because its card was
# declined or its credit refused (money we have no claim to collect until the customer acts).
REVENUE_HINT = (
    "Totals of today's orders that are paid or payable: cancelled orders and orders held for a declined card "
    "or refused credit are not counted."
)


def payable() -> Q:
    """Paid or payable: not cancelled, not held for a failed payment or refused credit."""
    return ~Q(status=S.CANCELLED) & ~Q(status=S.ON_HOLD, hold_reason__in=[HoldReason.PAYMENT_FAILED, HoldReason.CREDIT])


def _ship_priority():
    """Lower ships first: the shipping method's priority (express before standard); unknown methods last.

    The few methods are read once and inlined as a CASE, cheaper than a subquery per order when sorting.
    """
    methods = list(ShippingMethod.objects.values_list("code", "priority"))
    if not methods:
        return Value(1000, output_field=IntegerField())
    return Case(
        *(When(shipping_method=code, then=Value(priority)) for code, priority in methods),
        default=Value(1000),
        output_field=IntegerField(),
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _queue(queryset: QuerySet[Order], queue: str) -> QuerySet[Order]:
    today = timezone.localdate()
    if queue == "ready":
        return queryset.filter(status=S.CONFIRMED)
    if queue == "stuck":
        since = timezone.now() - timedelta(minutes=settings.OMS_STUCK_AFTER_MINUTES)
        return queryset.filter(pk__in=orders_stuck(since_before=since).values("pk"))
    if queue == "shipped_today":
        return queryset.filter(shipped_at__gte=_day_start(today))
    if queue == "payable":
        return queryset.filter(payable())
    if queue == "backordered":  # units waiting for stock (a backorder, a preorder, an order held out of stock)
        waiting = OrderLine.objects.filter(order=OuterRef("pk"), quantity_backordered__gt=0)
        return queryset.filter(Exists(waiting), status__in=UNSHIPPED)
    if queue == "overdue":
        return queryset.filter(_overdue(today))
    if queue == "exception":
        return queryset.filter(
            status__in=[S.SHIPPED, S.IN_TRANSIT],
            pk__in=Shipment.objects.filter(status=Shipment.Status.EXCEPTION).values("order_id"),
        )
    if queue == "inquiry":
        return queryset.filter(pk__in=Inquiry.objects.filter(answered_at=None).values("order_id"))
    if queue == "awaiting_funds":
        return queryset.filter(status=S.CREDIT_APPROVED, payment_status=Payment.Status.AWAITING_FUNDS)
    if queue == "unpaid_invoices":
        # Open while authorized or captured, until settled; read through the payments' partial index of open
        # invoices, a few rows however many orders there are.
        return queryset.filter(pk__in=payment_list_open_invoices().values("order_id")).exclude(status=S.CANCELLED)
    return queryset


# Overdue means "we are late on something we can act on": a held order or one waiting for the customer's bank
# transfer is not late on our side (the On hold and Awaiting funds queues hold those).
OVERDUE_HINT = (
    "Late on something we can act on: not shipped by the promised ship-by date (orders on hold or waiting for "
    "a bank transfer excluded), or shipped but not delivered by the estimated date."
)
LATE_TO_SHIP_STATES = [s for s in UNSHIPPED if s != S.ON_HOLD]
LATE_TO_ARRIVE_STATES = [S.SHIPPED, S.IN_TRANSIT]


def late_to_ship(today: date) -> Q:
    """Not shipped by the promised ship-by date, and neither on hold nor waiting for the customer's transfer."""
    return Q(status__in=LATE_TO_SHIP_STATES, promised_ship_date__lt=today) & ~Q(
        status=S.CREDIT_APPROVED, payment_status=Payment.Status.AWAITING_FUNDS
    )


def late_to_arrive(today: date) -> Q:
    return Q(status__in=LATE_TO_ARRIVE_STATES, estimated_delivery_date__lt=today)


def _overdue(today: date) -> Q:
    """Late to ship (something we can act on) or shipped but not delivered by the estimated date."""
    return late_to_ship(today) | late_to_arrive(today)
