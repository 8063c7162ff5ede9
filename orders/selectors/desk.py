"""Reads for the order desk: home figures and work queues, the order list (100k orders), the order page.

Every page gets what it shows from here in a fixed number of queries, whatever the number of rows.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.functional import cached_property

from orders.exceptions import OrderNotFound
from orders.models import HoldReason, Inquiry, LineAllocation, Order, OrderEvent, OrderLine, OrderNote, OrderStatus
from payments.models import GatewayTransaction, Payment
from payments.services import OPEN_INVOICE_STATUSES
from shipping.models import Shipment, ShippingMethod, TrackingEvent

S = OrderStatus
# Not yet shipped and not finished: the states in which a promised ship-by date can still be missed.
UNSHIPPED = [S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED, S.FULFILLING, S.ON_HOLD]
QUEUE_ROWS = 8
PER_PAGE = 50


# --- the order list ----------------------------------------------------------------------------------
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
}


@dataclass(frozen=True)
class OrderFilters:
    """What the order list is narrowed to; every field optional."""

    status: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    warehouse: int | None = None
    customer: int | None = None
    sku: str = ""
    hold_reason: str = ""
    q: str = ""
    queue: str = ""
    sort: str = DEFAULT_SORT


_NUMBER = re.compile(r"^[0-9A-Za-z]{4,20}$")


SEARCH_MATCH_LIMIT = 1000


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


def _search(queryset: QuerySet[Order], q: str) -> QuerySet[Order]:
    """One box for order number, tracking number, customer email or name.

    Each kind is looked up first where an index serves it (unique order number, unique tracking number,
    the customer's lower(email) index, trigram indexes on customer names and emails on PostgreSQL); the
    order list is then narrowed to those ids, which the planner reads by primary key and customer index
    instead of scanning every order.
    """
    from orders.models import Customer

    q = q.strip()
    if not q or "\x00" in q:
        return queryset if not q else queryset.none()
    order_ids: list[int] = []
    customer_ids: list[int] = []
    if _NUMBER.match(q):
        order_ids += Order.objects.filter(number__startswith=q.upper()).values_list("pk", flat=True)[
            :SEARCH_MATCH_LIMIT
        ]
        order_ids += Shipment.objects.filter(tracking_number=q.upper()).values_list("order_id", flat=True)
    customers = Customer.objects.order_by()
    if "@" in q:
        customer_ids += customers.filter(Exact(Lower("email"), Lower(Value(q)))).values_list("pk", flat=True)
        if not customer_ids:
            customer_ids += customers.filter(email__icontains=q).values_list("pk", flat=True)[:SEARCH_MATCH_LIMIT]
    else:
        customer_ids += customers.filter(name__icontains=q).values_list("pk", flat=True)[:SEARCH_MATCH_LIMIT]
    if not order_ids and not customer_ids:
        return queryset.none()
    return queryset.filter(Q(pk__in=order_ids) | Q(customer_id__in=customer_ids))


def order_list_for_desk(*, filters: OrderFilters) -> QuerySet[Order]:
    """Orders as the desk lists them, narrowed by ``filters``, with what each row shows in one query."""
    queryset = Order.objects.select_related("customer", "assigned_to").only(
        "number",
        "channel",
        "status",
        "hold_reason",
        "total",
        "currency",
        "shipping_method",
        "promised_ship_date",
        "placed_at",
        "customer__name",
        "customer__email",
        "assigned_to__username",
        "assigned_to__first_name",
        "assigned_to__last_name",
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.hold_reason:
        queryset = queryset.filter(hold_reason=filters.hold_reason)
    if filters.customer:
        queryset = queryset.filter(customer_id=filters.customer)
    if filters.sku:
        # Lines keep the SKU as sold; read through the upper(sku) index of orders 0007 (PostgreSQL).
        queryset = queryset.filter(Exists(OrderLine.objects.filter(order=OuterRef("pk"), sku__iexact=filters.sku)))
    if filters.date_from:
        queryset = queryset.filter(placed_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(placed_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.warehouse:
        queryset = queryset.filter(
            Exists(LineAllocation.objects.filter(line__order=OuterRef("pk"), warehouse_id=filters.warehouse))
        )
    queryset = _queue(queryset, filters.queue)
    queryset = _search(queryset, filters.q)
    queryset = queryset.annotate(
        is_overdue=ExpressionWrapper(
            Q(status__in=UNSHIPPED, promised_ship_date__lt=timezone.localdate()), output_field=BooleanField()
        )
    )
    sort = filters.sort if filters.sort in SORTS else DEFAULT_SORT
    if sort == "priority":
        queryset = queryset.annotate(ship_priority=_ship_priority())
    return queryset.order_by(*SORTS[sort])


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _queue(queryset: QuerySet[Order], queue: str) -> QuerySet[Order]:
    today = timezone.localdate()
    if queue == "ready":
        return queryset.filter(status=S.CONFIRMED)
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
        return queryset.filter(
            pk__in=Payment.objects.filter(method=Payment.Method.ON_ACCOUNT, status__in=OPEN_INVOICE_STATUSES).values(
                "order_id"
            )
        ).exclude(status=S.CANCELLED)
    return queryset


def _overdue(today: date) -> Q:
    """Not shipped by the promised ship-by date, or shipped but not delivered by the estimated date."""
    return Q(status__in=UNSHIPPED, promised_ship_date__lt=today) | Q(
        status__in=[S.SHIPPED, S.IN_TRANSIT], estimated_delivery_date__lt=today
    )


class CappedPage(Page):
    """A page that knows whether a next one exists even when the total is not counted."""

    more = False
    depth_limited = False

    def has_next(self) -> bool:
        if self.paginator.count_capped:
            return self.more
        return super().has_next()


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: a page of a 100,000-order list costs one bounded count and one page read.

    Past the cap the exact total is not known (``count_capped``) and the pager shows no page total; the
    next page is then known by reading one row more than the page holds. Pages end after ``max_rows``.
    """

    cap = 1_000
    # Paging stops this deep: an OFFSET reads every row it skips. Filters or "oldest first" reach the rest.
    max_rows = 10_000
    count_capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.count_capped = counted > self.cap
        return min(counted, self.cap)

    @cached_property
    def num_pages(self):
        if self.count and self.count_capped:
            return None
        return super().num_pages

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        number = max(number, 1)
        if self.num_pages is not None:
            number = min(number, max(self.num_pages, 1))
        return min(number, self.max_page)

    @property
    def max_page(self) -> int:
        return max(1, self.max_rows // self.per_page)

    def page(self, number) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page and number < self.max_page
        page.depth_limited = len(rows) > self.per_page and number >= self.max_page
        return page


def order_page_for_desk(*, filters: OrderFilters, page: object, per_page: int | None = None) -> CappedPage:
    """One page of the desk's order list; ``paginator.count_capped`` when more than 1,000 orders match."""
    return CappedPaginator(order_list_for_desk(filters=filters), per_page or PER_PAGE).page(page)


def bulk_orders_get(*, numbers: list[str]) -> dict[str, int]:
    """Order ids by number, for the numbers that exist."""
    return dict(Order.objects.filter(number__in=numbers).values_list("number", "pk"))


# --- the order page ----------------------------------------------------------------------------------
def order_get_for_desk(*, number: str) -> Order:
    """An order with everything the desk page shows, fetched in a fixed number of queries."""
    if "\x00" in number:
        raise OrderNotFound(f"No order {number}.")
    order = (
        Order.objects.select_related("customer", "shipping_address", "billing_address", "assigned_to", "feedback")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk").prefetch_related(_allocations())),
            Prefetch(
                "payments",
                queryset=Payment.objects.order_by("created_at", "pk").prefetch_related(
                    Prefetch("transactions", queryset=GatewayTransaction.objects.order_by("created_at", "pk"))
                ),
            ),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("pk")
                .select_related("warehouse")
                .prefetch_related(Prefetch("events", queryset=TrackingEvent.objects.order_by("occurred_at", "pk"))),
            ),
            Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk")),
            Prefetch(
                "internal_notes", queryset=OrderNote.objects.select_related("author").order_by("created_at", "pk")
            ),
            Prefetch("inquiries", queryset=Inquiry.objects.select_related("answered_by").order_by("created_at", "pk")),
        )
        .filter(number=number.strip().upper())
        .first()
    )
    if order is None:
        raise OrderNotFound(f"No order {number}.")
    return order


def _allocations() -> Prefetch:
    return Prefetch(
        "allocations", queryset=LineAllocation.objects.filter(is_released=False).select_related("warehouse")
    )


def order_notes_get(*, order_id: int) -> list[OrderNote]:
    return list(OrderNote.objects.filter(order_id=order_id).select_related("author").order_by("created_at", "pk"))


def staff_for_assignment() -> QuerySet:
    """Active staff an order may be assigned to."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


# --- home ----------------------------------------------------------------------------------------------
def figures_today(*, now: datetime | None = None) -> dict:
    """Today's orders placed, shipped, now on hold, and revenue (placed today, not cancelled), in 2 queries."""
    now = now or timezone.now()
    start = _day_start(timezone.localdate(now))
    placed = Order.objects.filter(placed_at__gte=start).aggregate(
        placed=Count("pk"),
        revenue=Coalesce(
            Sum("total", filter=~Q(status=S.CANCELLED)),
            Value(0),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    )
    # Two indexed counts (partial index on shipped_at, the status index) instead of one pass over all orders.
    counts = {
        "shipped": Order.objects.filter(shipped_at__gte=start).count(),
        "on_hold": Order.objects.filter(status=S.ON_HOLD).count(),
    }
    return {**placed, **counts}


def _rows(queryset: QuerySet[Order]) -> list[Order]:
    return list(queryset.select_related("customer")[:QUEUE_ROWS])


def queue_on_hold() -> dict:
    """Held orders by reason (count and oldest first), the reasons with none left out."""
    by_reason = dict(
        Order.objects.filter(status=S.ON_HOLD).order_by().values_list("hold_reason").annotate(n=Count("pk"))
    )
    rows = _rows(Order.objects.filter(status=S.ON_HOLD).order_by("placed_at", "pk"))
    reasons = [
        {"code": code, "label": label, "count": by_reason[code]}
        for code, label in HoldReason.choices
        if code in by_reason
    ]
    return {"count": sum(by_reason.values()), "reasons": reasons, "rows": rows}


def queue_ready_to_fulfill() -> dict:
    """Confirmed orders in the order the warehouse should take them: express, then ship-by date, then age."""
    queryset = Order.objects.filter(status=S.CONFIRMED)
    rows = _rows(queryset.annotate(ship_priority=_ship_priority()).order_by(*SORTS["priority"]))
    return {"count": queryset.count(), "rows": rows}


def queue_overdue() -> dict:
    """Late orders, the latest promise first; each half of the condition read through its own partial index."""
    today = timezone.localdate()
    count = Order.objects.filter(_overdue(today)).count()
    late_to_ship = _rows(
        Order.objects.filter(status__in=UNSHIPPED, promised_ship_date__lt=today).order_by(
            "promised_ship_date", "placed_at", "pk"
        )
    )
    late_to_arrive = _rows(
        Order.objects.filter(status__in=[S.SHIPPED, S.IN_TRANSIT], estimated_delivery_date__lt=today).order_by(
            "estimated_delivery_date", "placed_at", "pk"
        )
    )
    rows = sorted(
        late_to_ship + late_to_arrive,
        key=lambda o: o.estimated_delivery_date if o.status in (S.SHIPPED, S.IN_TRANSIT) else o.promised_ship_date,
    )
    return {"count": count, "rows": rows[:QUEUE_ROWS]}


def queue_carrier_exceptions() -> dict:
    queryset = _queue(Order.objects.all(), "exception")
    return {"count": queryset.count(), "rows": _rows(queryset.order_by("placed_at", "pk"))}


def queue_open_inquiries() -> dict:
    queryset = Inquiry.objects.filter(answered_at=None)
    rows = list(queryset.select_related("order__customer").order_by("created_at", "pk")[:QUEUE_ROWS])
    return {"count": queryset.count(), "rows": rows}


def queue_awaiting_funds() -> dict:
    queryset = _queue(Order.objects.all(), "awaiting_funds")
    return {"count": queryset.count(), "rows": _rows(queryset.order_by("placed_at", "pk"))}


def _open_invoices() -> QuerySet[Payment]:
    """On-account payments whose invoice is open (authorized or captured, not settled): the payments'
    partial index holds just these, a few rows however many orders there are."""
    return Payment.objects.filter(method=Payment.Method.ON_ACCOUNT, status__in=OPEN_INVOICE_STATUSES)


def queue_unpaid_invoices() -> dict:
    """On-account orders whose invoice the customer has not paid yet, oldest first, with what is owed."""
    # An anti-join on the cancelled orders (status index) beats joining every order to the open invoices.
    cancelled = Order.objects.filter(pk=OuterRef("order_id"), status=S.CANCELLED)
    totals = list(
        _open_invoices()
        .filter(~Exists(cancelled))
        .order_by()
        .values("currency")
        .annotate(n=Count("pk"), owed=Sum("amount"))
        .order_by("currency")
    )
    count = sum(t["n"] for t in totals)
    queryset = _queue(Order.objects.all(), "unpaid_invoices")
    return {
        "count": count,
        "owed": [{"currency": t["currency"], "amount": t["owed"]} for t in totals],
        # Only when there are some: looking for rows that do not exist costs a pass for nothing.
        "rows": _rows(queryset.order_by("placed_at", "pk")) if count else [],
    }


# Which queue each role acts on, by the permission that acting needs.
QUEUE_PERMISSIONS = {
    "on_hold": "orders.release_order",
    "ready": "orders.start_fulfillment",
    "overdue": "orders.view_order",
    "exception": "orders.change_order",
    "inquiry": "orders.view_inquiry",
    "awaiting_funds": "orders.mark_paid",
    "unpaid_invoices": "orders.mark_paid",
}
_QUEUE_READERS = {
    "on_hold": queue_on_hold,
    "ready": queue_ready_to_fulfill,
    "overdue": queue_overdue,
    "exception": queue_carrier_exceptions,
    "inquiry": queue_open_inquiries,
    "awaiting_funds": queue_awaiting_funds,
    "unpaid_invoices": queue_unpaid_invoices,
}


def home_for_user(*, user) -> dict:
    """Today's figures and the work queues ``user`` acts on (none they cannot act on)."""
    if not user.has_perm("orders.view_order"):
        return {"figures": None, "queues": {}}
    queues = {name: read() for name, read in _QUEUE_READERS.items() if user.has_perm(QUEUE_PERMISSIONS[name])}
    return {"figures": figures_today(), "queues": queues}
