"""Reads for the desk's home: today's figures and the work queues, each shown to the roles that act on it."""

from datetime import datetime

from django.db.models import Count, DecimalField, Exists, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboard.finance.selectors import days_waiting
from dashboard.orders.selectors._common import (
    SORTS,
    GroupedOrders,
    S,
    _day_start,
    _priority_groups,
    _queue,
    capped_count,
    late_to_arrive,
    late_to_ship,
    payable,
)
from orders.models import HoldReason, Inquiry, Order
from payments.selectors import invoice_owed, payment_list_open_invoices

QUEUE_ROWS = 8
# A queue counts its orders up to here and then says "1,000+": a bounded index read, where an exact count of
# 100,000 confirmed orders read them all.
COUNT_CAP = 1_000


def figures_today(*, now: datetime | None = None) -> dict:
    """Today's orders placed, shipped, now on hold (``on_hold_capped`` past ``COUNT_CAP``), and revenue (placed
    today, paid or payable), in 3 queries."""
    now = now or timezone.now()
    start = _day_start(timezone.localdate(now))
    placed = Order.objects.filter(placed_at__gte=start).aggregate(
        placed=Count("*"),  # every column it reads is in order_placed_figures_idx
        revenue=Coalesce(
            Sum("total", filter=payable()),
            Value(0),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    )
    # Two indexed counts (partial index on shipped_at, the on-hold index) instead of one pass over all orders;
    # orders on hold, not bounded by the day, are counted up to the cap like the queues ("1,000+").
    on_hold = _counted(Order.objects.filter(status=S.ON_HOLD))
    counts = {
        "shipped": Order.objects.filter(shipped_at__gte=start).count(),
        "on_hold": on_hold["count"],
        "on_hold_capped": on_hold["capped"],
    }
    return {**placed, **counts}


def _rows(queryset: QuerySet[Order]) -> list[Order]:
    return list(queryset.select_related("customer")[:QUEUE_ROWS])


def _counted(*querysets: QuerySet) -> dict:
    """``count`` of the rows of ``querysets`` (disjoint) up to ``COUNT_CAP``, and ``capped`` when there are more."""
    n = 0
    for queryset in querysets:
        n += capped_count(queryset, COUNT_CAP + 1 - n)
    return {"count": min(n, COUNT_CAP), "capped": n > COUNT_CAP}


def queue_on_hold() -> dict:
    """Held orders by reason (count and oldest first), the reasons with none left out.

    Past ``COUNT_CAP`` held orders each reason is counted up to the cap (its dict then has ``capped``), one
    bounded read of the on-hold index per reason instead of a pass over every held order.
    """
    held = Order.objects.filter(status=S.ON_HOLD)
    counted = _counted(held)
    if counted["capped"]:
        reasons = []
        for code, label in HoldReason.choices:
            n = capped_count(held.filter(hold_reason=code), COUNT_CAP + 1)
            if n > COUNT_CAP:
                reasons.append({"code": code, "label": label, "count": COUNT_CAP, "capped": True})
            elif n:
                reasons.append({"code": code, "label": label, "count": n})
    else:
        by_reason = dict(held.order_by().values_list("hold_reason").annotate(n=Count("pk")))
        reasons = [
            {"code": code, "label": label, "count": by_reason[code]}
            for code, label in HoldReason.choices
            if code in by_reason
        ]
    rows = _rows(held.order_by("placed_at", "pk"))
    return {**counted, "reasons": reasons, "rows": rows}


def queue_ready_to_fulfill() -> dict:
    """Confirmed orders in the order the warehouse should take them: express, then ship-by date, then age."""
    queryset = Order.objects.filter(status=S.CONFIRMED)
    rows = GroupedOrders(queryset.select_related("customer"), _priority_groups(), SORTS["priority"])[:QUEUE_ROWS]
    return {**_counted(queryset), "rows": rows}


def queue_overdue() -> dict:
    """Late orders, the latest promise first; each half of the condition read through its own partial index."""
    today = timezone.localdate()
    to_ship = Order.objects.filter(late_to_ship(today))
    to_arrive = Order.objects.filter(late_to_arrive(today))
    counted = _counted(to_ship, to_arrive)
    rows = sorted(
        _rows(to_ship.order_by("promised_ship_date", "placed_at", "pk"))
        + _rows(to_arrive.order_by("estimated_delivery_date", "placed_at", "pk")),
        key=lambda o: o.estimated_delivery_date if o.status in (S.SHIPPED, S.IN_TRANSIT) else o.promised_ship_date,
    )
    return {**counted, "rows": rows[:QUEUE_ROWS]}


def queue_carrier_exceptions() -> dict:
    queryset = _queue(Order.objects.all(), "exception")
    return {**_counted(queryset), "rows": _rows(queryset.order_by("placed_at", "pk"))}


def queue_open_inquiries() -> dict:
    queryset = Inquiry.objects.filter(answered_at=None)
    rows = list(queryset.select_related("order__customer").order_by("created_at", "pk")[:QUEUE_ROWS])
    return {**_counted(queryset), "rows": rows}


def queue_awaiting_funds() -> dict:
    """Orders waiting for a bank transfer, oldest first, each with its amount and ``days_waiting``."""
    queryset = _queue(Order.objects.all(), "awaiting_funds")
    rows = _rows(queryset.order_by("placed_at", "pk"))
    for order in rows:
        order.days_waiting = days_waiting(order)
    return {**_counted(queryset), "rows": rows}


def queue_unpaid_invoices() -> dict:
    """On-account orders whose invoice the customer has not paid yet, oldest first, with what is owed."""
    # An anti-join on the cancelled orders (status index) beats joining every order to the open invoices.
    cancelled = Order.objects.filter(pk=OuterRef("order_id"), status=S.CANCELLED)
    totals = list(
        payment_list_open_invoices()
        .filter(~Exists(cancelled))
        .order_by()
        .values("currency")
        .annotate(n=Count("pk"), owed=Sum(invoice_owed()))
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


def queue_stuck() -> dict:
    """Orders automatic work left behind (a lost task the reconciler could not drive on, an email given up
    on): for managers, who can find out why. Oldest first."""
    queryset = _queue(Order.objects.all(), "stuck")
    return {**_counted(queryset), "rows": _rows(queryset.order_by("placed_at", "pk"))}


# Which queue each role acts on, by the permission that acting needs.
QUEUE_PERMISSIONS = {
    "on_hold": "orders.release_order",
    "ready": "orders.start_fulfillment",
    "overdue": "orders.view_order",
    "exception": "orders.change_order",
    "inquiry": "orders.view_inquiry",
    "awaiting_funds": "orders.mark_paid",
    "unpaid_invoices": "orders.mark_paid",
    "stuck": "orders.view_stuck_orders",
}
_QUEUE_READERS = {
    "on_hold": queue_on_hold,
    "ready": queue_ready_to_fulfill,
    "overdue": queue_overdue,
    "exception": queue_carrier_exceptions,
    "inquiry": queue_open_inquiries,
    "awaiting_funds": queue_awaiting_funds,
    "unpaid_invoices": queue_unpaid_invoices,
    "stuck": queue_stuck,
}


def home_for_user(*, user) -> dict:
    """Today's figures and the work queues ``user`` acts on (none they cannot act on)."""
    if not user.has_perm("orders.view_order"):
        return {"figures": None, "queues": {}}
    queues = {name: read() for name, read in _QUEUE_READERS.items() if user.has_perm(QUEUE_PERMISSIONS[name])}
    return {"figures": figures_today(), "queues": queues}
