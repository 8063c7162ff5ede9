"""What the home queues and the order list share: the unshipped and overdue conditions, each work queue's
condition and name, the sort orders (the home's "ready" queue uses the list's priority sort), day boundaries.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Exists, Lookup, OuterRef, Q, QuerySet
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
    # Within each shipping priority (express first, see _priority_groups): ship-by date, then age.
    "priority": ("promised_ship_date", "placed_at", "pk"),
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


UNKNOWN_METHOD_PRIORITY = 1000


def _priority_groups() -> list[Q]:
    """The "priority" sort as consecutive groups of shipping methods, the first to ship first: one condition
    per priority (express, then standard, ...), and last the methods no ``ShippingMethod`` names.

    Within a group orders go by ship-by date, then age, which an index reads in that order; sorting every
    order by a CASE over its method could not use one.
    """
    by_priority: dict[int, list[str]] = {}
    for code, priority in ShippingMethod.objects.values_list("code", "priority"):
        by_priority.setdefault(priority, []).append(code)
    known = [code for codes in by_priority.values() for code in codes]
    groups = {priority: Q(shipping_method__in=sorted(codes)) for priority, codes in by_priority.items()}
    unknown = ~Q(shipping_method__in=sorted(known)) if known else Q()
    groups[UNKNOWN_METHOD_PRIORITY] = (
        groups[UNKNOWN_METHOD_PRIORITY] | unknown if UNKNOWN_METHOD_PRIORITY in groups else unknown
    )
    return [groups[priority] for priority in sorted(groups)]


class GroupedOrders:
    """Orders read group after group, each group in the same order: what the "priority" sort shows, one
    indexed read per group a page touches instead of sorting every matching order.

    Quacks like the queryset the paginator expects: ``capped_count()`` counts it, it slices, it is ordered.
    """

    ordered = True

    def __init__(self, queryset: QuerySet[Order], groups: list[Q], order_by: tuple[str, ...]):
        self.parts = [queryset.filter(group).order_by(*order_by) for group in groups]

    def count_upto(self, limit: int) -> int:
        """How many orders, counting no further than ``limit``."""
        total = 0
        for part in self.parts:
            total += capped_count(part, limit - total)
            if total >= limit:
                break
        return total

    def __getitem__(self, window: slice) -> list[Order]:
        skip, wanted = window.start or 0, window.stop - (window.start or 0)
        rows: list[Order] = []
        for part in self.parts:
            if skip:
                before = capped_count(part, skip)
                if before < skip:  # the whole group lies before the window
                    skip -= before
                    continue
            rows += part[skip : skip + wanted - len(rows)]
            skip = 0
            if len(rows) >= wanted:
                break
        return rows

    def __iter__(self):
        for part in self.parts:
            yield from part


class LateRows:
    """Orders found by id, then read whole: ``rows`` of the ids ``matching`` lists at a slice, in one query
    (``WHERE id IN (SELECT id FROM ... ORDER BY ... LIMIT ... OFFSET ...)``).

    The inner query reads only the sort and filter columns, which an index holds (``order_placed_idx``,
    ``order_on_the_way_id_idx``, the queues' partial indexes): an OFFSET of 9,950 or a filter that passes over
    thousands of orders skips index entries instead of visiting orders and their customers. Only the orders
    shown are read whole. When a count has shown that every match is in the slice (a customer's few orders,
    a search by number), ``matching`` is read directly: there is nothing to skip. ``matching`` and ``rows``
    must be sorted alike, on a unique last key, and ``matching`` must read what ``rows`` shows.

    Quacks like the queryset the paginator expects: ``capped_count()`` counts it, it slices, it is ordered.
    """

    ordered = True

    def __init__(self, matching: QuerySet[Order], rows: QuerySet[Order]):
        self.matching = matching
        self.rows = rows
        self.counted: int | None = None  # the last count, when it found fewer than its limit: all there are

    def count_upto(self, limit: int) -> int:
        n = capped_count(self.matching, limit)
        self.counted = n if n < limit else None
        return n

    def __getitem__(self, window: slice) -> list[Order]:
        if self.counted is not None and (window.start or 0) == 0 and window.stop >= self.counted:
            return list(self.matching[window])
        return list(self.rows.filter(pk__in=self.matching.values("pk")[window]))

    def __iter__(self):
        return iter(self.rows.filter(pk__in=self.matching.values("pk")))


def capped_count(rows: "QuerySet | GroupedOrders | LateRows", limit: int) -> int:
    """The number of rows, counting no further than ``limit``: ``SELECT count(*) FROM (... LIMIT limit)``, a
    bounded index read however many rows match."""
    if limit <= 0:
        return 0
    if isinstance(rows, GroupedOrders | LateRows):
        return rows.count_upto(limit)
    return rows.order_by().values("pk")[:limit].count()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _AnyOf(Lookup):
    """``id = ANY(ARRAY(SELECT ...))``: the subquery runs once, ahead of the rest (an InitPlan), and its ids are
    looked up one by one (PostgreSQL only).

    The planner cannot guess how many ids such an array holds, so it looks them up and sorts the few it finds
    instead of walking an index in the list's order until it meets enough of them: the carrier exceptions
    are few but spread over every age, and the newest orders on their way have hardly any, so that walk
    could pass over tens of thousands of orders before the first page is full (and which plan the planner
    picked changed with each ANALYZE).
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # a subquery, in parentheses
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


Order._meta.pk.register_lookup(_AnyOf)


def _queue(queryset: QuerySet[Order], queue: str, *, listed: bool = False) -> QuerySet[Order]:
    """``queryset`` narrowed to the work ``queue``. ``listed``: for the order list, which shows a queue in any
    sort and at any depth (some queues then read their few orders whole and sort them; the home reads each
    queue's oldest first, which their indexes give soonest)."""
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
        exceptions = Shipment.objects.filter(status=Shipment.Status.EXCEPTION).values("order_id")
        if listed and connections[queryset.db].vendor == "postgresql":
            return queryset.filter(status__in=[S.SHIPPED, S.IN_TRANSIT], pk__any_of=exceptions.order_by())
        return queryset.filter(status__in=[S.SHIPPED, S.IN_TRANSIT], pk__in=exceptions)
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
