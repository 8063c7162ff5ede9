"""Reads for the desk's home: today's figures and the work queues, each shown to the roles that act on it."""

from collections.abc import Callable
from dataclasses import dataclass
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
    counts_upto,
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


@dataclass
class _Reading:
    """A reader of the home in two steps, so that the whole page counts in one statement: ``counted`` are the
    querysets it counts, each with the limit it counts to (None: all rows); ``finish`` gets those counts, in
    the same order, reads the rest (the first rows) and returns what the page shows."""

    counted: list[tuple[QuerySet, int | None]]
    finish: Callable[[list[int]], dict]


def _read(reading: _Reading) -> dict:
    return reading.finish(counts_upto(reading.counted))


def _capped(queryset: QuerySet) -> tuple[QuerySet, int]:
    return (queryset, COUNT_CAP + 1)


def _count(n: int) -> dict:
    """``count`` of rows counted up to ``COUNT_CAP`` + 1, and ``capped`` when there are more than the cap."""
    return {"count": min(n, COUNT_CAP), "capped": n > COUNT_CAP}


def _figures(now: datetime | None = None) -> _Reading:
    now = now or timezone.now()
    start = _day_start(timezone.localdate(now))
    # Two indexed counts (partial index on shipped_at, the on-hold index) instead of one pass over all orders;
    # orders on hold, not bounded by the day, are counted up to the cap like the queues ("1,000+").
    counted = [(Order.objects.filter(shipped_at__gte=start), None), _capped(Order.objects.filter(status=S.ON_HOLD))]

    def finish(counts: list[int]) -> dict:
        shipped, on_hold = counts
        placed = Order.objects.filter(placed_at__gte=start).aggregate(
            placed=Count("*"),  # every column it reads is in order_placed_figures_idx
            revenue=Coalesce(
                Sum("total", filter=payable()),
                Value(0),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        on_hold = _count(on_hold)
        return {**placed, "shipped": shipped, "on_hold": on_hold["count"], "on_hold_capped": on_hold["capped"]}

    return _Reading(counted, finish)


def figures_today(*, now: datetime | None = None) -> dict:
    """Today's orders placed, shipped, now on hold (``on_hold_capped`` past ``COUNT_CAP``), and revenue (placed
    today, paid or payable), in 2 queries."""
    return _read(_figures(now))


def _rows(queryset: QuerySet[Order]) -> list[Order]:
    return list(queryset.select_related("customer")[:QUEUE_ROWS])


def _on_hold() -> _Reading:
    held = Order.objects.filter(status=S.ON_HOLD)

    def finish(counts: list[int]) -> dict:
        total, *by_reason = counts
        reasons = []
        for (code, label), n in zip(HoldReason.choices, by_reason, strict=True):
            if n > COUNT_CAP:
                reasons.append({"code": code, "label": label, "count": COUNT_CAP, "capped": True})
            elif n:
                reasons.append({"code": code, "label": label, "count": n})
        return {**_count(total), "reasons": reasons, "rows": _rows(held.order_by("placed_at", "pk"))}

    return _Reading([_capped(held)] + [_capped(held.filter(hold_reason=code)) for code in HoldReason.values], finish)


def queue_on_hold() -> dict:
    """Held orders by reason (count and oldest first), the reasons with none left out.

    Every reason is counted up to the cap (its dict then has ``capped``), one bounded read of the on-hold index
    per reason instead of a pass over every held order.
    """
    return _read(_on_hold())


def _ready() -> _Reading:
    queryset = Order.objects.filter(status=S.CONFIRMED)

    def finish(counts: list[int]) -> dict:
        rows = GroupedOrders(queryset.select_related("customer"), _priority_groups(), SORTS["priority"])
        return {**_count(counts[0]), "rows": rows[:QUEUE_ROWS]}

    return _Reading([_capped(queryset)], finish)


def queue_ready_to_fulfill() -> dict:
    """Confirmed orders in the order the warehouse should take them: express, then ship-by date, then age."""
    return _read(_ready())


def _overdue() -> _Reading:
    today = timezone.localdate()
    to_ship = Order.objects.filter(late_to_ship(today))
    to_arrive = Order.objects.filter(late_to_arrive(today))

    def finish(counts: list[int]) -> dict:
        rows = sorted(
            _rows(to_ship.order_by("promised_ship_date", "placed_at", "pk"))
            + _rows(to_arrive.order_by("estimated_delivery_date", "placed_at", "pk")),
            key=lambda o: o.estimated_delivery_date if o.status in (S.SHIPPED, S.IN_TRANSIT) else o.promised_ship_date,
        )
        return {**_count(sum(counts)), "rows": rows[:QUEUE_ROWS]}

    return _Reading([_capped(to_ship), _capped(to_arrive)], finish)


def queue_overdue() -> dict:
    """Late orders, the latest promise first; each half of the condition read through its own partial index."""
    return _read(_overdue())


def _oldest_first(queryset: QuerySet[Order], *, each: Callable[[Order], None] | None = None) -> _Reading:
    """A queue of orders shown oldest first, counted up to the cap; ``each`` adds to each row shown."""

    def finish(counts: list[int]) -> dict:
        rows = _rows(queryset.order_by("placed_at", "pk"))
        if each:
            for order in rows:
                each(order)
        return {**_count(counts[0]), "rows": rows}

    return _Reading([_capped(queryset)], finish)


def queue_carrier_exceptions() -> dict:
    return _read(_oldest_first(_queue(Order.objects.all(), "exception")))


def _open_inquiries() -> _Reading:
    queryset = Inquiry.objects.filter(answered_at=None)

    def finish(counts: list[int]) -> dict:
        rows = list(queryset.select_related("order__customer").order_by("created_at", "pk")[:QUEUE_ROWS])
        return {**_count(counts[0]), "rows": rows}

    return _Reading([_capped(queryset)], finish)


def queue_open_inquiries() -> dict:
    return _read(_open_inquiries())


def _awaiting_funds() -> _Reading:
    def waiting(order: Order) -> None:
        order.days_waiting = days_waiting(order)

    return _oldest_first(_queue(Order.objects.all(), "awaiting_funds"), each=waiting)


def queue_awaiting_funds() -> dict:
    """Orders waiting for a bank transfer, oldest first, each with its amount and ``days_waiting``."""
    return _read(_awaiting_funds())


def _unpaid_invoices() -> _Reading:
    def finish(counts: list[int]) -> dict:
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

    return _Reading([], finish)


def queue_unpaid_invoices() -> dict:
    """On-account orders whose invoice the customer has not paid yet, oldest first, with what is owed."""
    return _read(_unpaid_invoices())


def queue_stuck() -> dict:
    """Orders automatic work left behind (a lost task the reconciler could not drive on, an email given up
    on): for managers, who can find out why. Oldest first."""
    return _read(_oldest_first(_queue(Order.objects.all(), "stuck")))


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
_QUEUE_READINGS: dict[str, Callable[[], _Reading]] = {
    "on_hold": _on_hold,
    "ready": _ready,
    "overdue": _overdue,
    "exception": lambda: _oldest_first(_queue(Order.objects.all(), "exception")),
    "inquiry": _open_inquiries,
    "awaiting_funds": _awaiting_funds,
    "unpaid_invoices": _unpaid_invoices,
    "stuck": lambda: _oldest_first(_queue(Order.objects.all(), "stuck")),
}


def home_for_user(*, user) -> dict:
    """Today's figures and the work queues ``user`` acts on (none they cannot act on).

    Every count the page shows (the figures', each queue's and each hold reason's, up to 19) is read in one
    statement; then each queue reads its first rows.
    """
    if not user.has_perm("orders.view_order"):
        return {"figures": None, "queues": {}}
    readings = {name: reading() for name, reading in _QUEUE_READINGS.items() if user.has_perm(QUEUE_PERMISSIONS[name])}
    readings["figures"] = _figures()
    counts = iter(counts_upto([counted for reading in readings.values() for counted in reading.counted]))
    read = {name: reading.finish([next(counts) for _ in reading.counted]) for name, reading in readings.items()}
    figures = read.pop("figures")
    return {"figures": figures, "queues": read}
