"""Reads for the desk's home: today's figures and the work queues, each shown to the roles that act on it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
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
    late_to_arrive,
    late_to_ship,
    payable,
)
from oms.reads_together import Read, counted, listed, read_together
from orders.models import HoldReason, Inquiry, Order
from payments.selectors import invoice_owed, payment_list_open_invoices

QUEUE_ROWS = 8
# A queue counts its orders up to here and then says "1,000+": a bounded index read, where an exact count of
# 100,000 confirmed orders read them all.
COUNT_CAP = 1_000


@dataclass
class _Reading:
    """A reader of the home in two steps, so that the whole page reads its counts and the ids of its queues'
    first orders in one statement (``oms.reads_together``), and those orders in one query: ``reads`` are what
    it counts and lists; ``finish`` gets what each read found (in the same order) and the orders listed, by
    id, reads what is left and returns what the page shows."""

    reads: list[Read]
    finish: Callable[[list[list[int]], dict[int, Order]], dict]


def _read(*readings: _Reading) -> list[dict]:
    """What each of ``readings`` shows: their reads in one statement, the orders they list in one query."""
    answers = iter(read_together([read for reading in readings for read in reading.reads]))
    found = [[next(answers) for _ in reading.reads] for reading in readings]
    shown = {
        order_id
        for reading, values in zip(readings, found, strict=True)
        for read, read_ids in zip(reading.reads, values, strict=True)
        if not read.counted
        for order_id in read_ids
    }
    orders = Order.objects.select_related("customer").in_bulk(shown) if shown else {}
    return [reading.finish(values, orders) for reading, values in zip(readings, found, strict=True)]


def _capped(queryset: QuerySet) -> Read:
    return counted(queryset, COUNT_CAP + 1)


def _count(n: int) -> dict:
    """``count`` of rows counted up to ``COUNT_CAP`` + 1, and ``capped`` when there are more than the cap."""
    return {"count": min(n, COUNT_CAP), "capped": n > COUNT_CAP}


def _first(queryset: QuerySet[Order], order_by: tuple[str, ...]) -> Read:
    """The ids of the first orders of a queue, in ``order_by``."""
    return listed(queryset.order_by(*order_by).values_list("pk", flat=True)[:QUEUE_ROWS])


def _in_order(found: list[int], orders: dict[int, Order], order_by: tuple[str, ...]) -> list[Order]:
    """The orders ``_first`` found, sorted as the database sorted them (ascending; NULLs last on PostgreSQL,
    first on SQLite)."""
    nulls_last = connection.features.nulls_order_largest

    def key(order: Order) -> list:
        return [((value is None) == nulls_last, value) for value in (getattr(order, name) for name in order_by)]

    return sorted((orders[i] for i in found if i in orders), key=key)


def _figures(now: datetime | None = None) -> _Reading:
    now = now or timezone.now()
    start = _day_start(timezone.localdate(now))
    # Two indexed counts (partial index on shipped_at, the on-hold index) instead of one pass over all orders;
    # orders on hold, not bounded by the day, are counted up to the cap like the queues ("1,000+").
    reads = [counted(Order.objects.filter(shipped_at__gte=start)), _capped(Order.objects.filter(status=S.ON_HOLD))]

    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
        [shipped], [on_hold] = found
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

    return _Reading(reads, finish)


def figures_today(*, now: datetime | None = None) -> dict:
    """Today's orders placed, shipped, now on hold (``on_hold_capped`` past ``COUNT_CAP``), and revenue (placed
    today, paid or payable), in 2 queries."""
    return _read(_figures(now))[0]


def _rows(queryset: QuerySet[Order]) -> list[Order]:
    return list(queryset.select_related("customer")[:QUEUE_ROWS])


OLDEST_FIRST = ("placed_at", "pk")


def _on_hold() -> _Reading:
    held = Order.objects.filter(status=S.ON_HOLD)
    reads = [_capped(held), *(_capped(held.filter(hold_reason=code)) for code in HoldReason.values)]

    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
        [total], *by_reason, rows = found
        reasons = []
        for (code, label), [n] in zip(HoldReason.choices, by_reason, strict=True):
            if n > COUNT_CAP:
                reasons.append({"code": code, "label": label, "count": COUNT_CAP, "capped": True})
            elif n:
                reasons.append({"code": code, "label": label, "count": n})
        return {**_count(total), "reasons": reasons, "rows": _in_order(rows, orders, OLDEST_FIRST)}

    return _Reading([*reads, _first(held, OLDEST_FIRST)], finish)


def queue_on_hold() -> dict:
    """Held orders by reason (count and oldest first), the reasons with none left out.

    Every reason is counted up to the cap (its dict then has ``capped``), one bounded read of the on-hold index
    per reason instead of a pass over every held order.
    """
    return _read(_on_hold())[0]


def _ready() -> _Reading:
    """The first confirmed orders of the first shipping priority group (express); the next groups
    (``GroupedOrders``) only when that one has too few: the last group, the methods no ``ShippingMethod``
    names, has no index range to read."""
    queryset = Order.objects.filter(status=S.CONFIRMED)
    groups = _priority_groups()

    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
        [n], first = found
        rows = _in_order(first, orders, SORTS["priority"])
        if len(rows) < QUEUE_ROWS and len(groups) > 1:
            rows = GroupedOrders(queryset.select_related("customer"), groups, SORTS["priority"])[:QUEUE_ROWS]
        return {**_count(n), "rows": rows}

    return _Reading([_capped(queryset), _first(queryset.filter(groups[0]), SORTS["priority"])], finish)


def queue_ready_to_fulfill() -> dict:
    """Confirmed orders in the order the warehouse should take them: express, then ship-by date, then age."""
    return _read(_ready())[0]


def _overdue() -> _Reading:
    today = timezone.localdate()
    to_ship = Order.objects.filter(late_to_ship(today))
    to_arrive = Order.objects.filter(late_to_arrive(today))
    to_ship_order = ("promised_ship_date", "placed_at", "pk")
    to_arrive_order = ("estimated_delivery_date", "placed_at", "pk")

    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
        [late_to_ship_n], [late_to_arrive_n], first_to_ship, first_to_arrive = found
        rows = sorted(
            _in_order(first_to_ship, orders, to_ship_order) + _in_order(first_to_arrive, orders, to_arrive_order),
            key=lambda o: o.estimated_delivery_date if o.status in (S.SHIPPED, S.IN_TRANSIT) else o.promised_ship_date,
        )
        return {**_count(late_to_ship_n + late_to_arrive_n), "rows": rows[:QUEUE_ROWS]}

    reads = [_capped(to_ship), _capped(to_arrive), _first(to_ship, to_ship_order), _first(to_arrive, to_arrive_order)]
    return _Reading(reads, finish)


def queue_overdue() -> dict:
    """Late orders, the latest promise first; each half of the condition read through its own partial index."""
    return _read(_overdue())[0]


def _oldest_first(queryset: QuerySet[Order], *, each: Callable[[Order], None] | None = None) -> _Reading:
    """A queue of orders shown oldest first, counted up to the cap; ``each`` adds to each row shown."""

    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
        [n], first = found
        rows = _in_order(first, orders, OLDEST_FIRST)
        if each:
            for order in rows:
                each(order)
        return {**_count(n), "rows": rows}

    return _Reading([_capped(queryset), _first(queryset, OLDEST_FIRST)], finish)


def queue_carrier_exceptions() -> dict:
    return _read(_oldest_first(_queue(Order.objects.all(), "exception")))[0]


def _open_inquiries() -> _Reading:
    queryset = Inquiry.objects.filter(answered_at=None)

    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
        [[n]] = found
        rows = list(queryset.select_related("order__customer").order_by("created_at", "pk")[:QUEUE_ROWS])
        return {**_count(n), "rows": rows}

    return _Reading([_capped(queryset)], finish)


def queue_open_inquiries() -> dict:
    return _read(_open_inquiries())[0]


def _awaiting_funds() -> _Reading:
    def waiting(order: Order) -> None:
        order.days_waiting = days_waiting(order)

    return _oldest_first(_queue(Order.objects.all(), "awaiting_funds"), each=waiting)


def queue_awaiting_funds() -> dict:
    """Orders waiting for a bank transfer, oldest first, each with its amount and ``days_waiting``."""
    return _read(_awaiting_funds())[0]


def _unpaid_invoices() -> _Reading:
    def finish(found: list[list[int]], orders: dict[int, Order]) -> dict:
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
        n = sum(t["n"] for t in totals)
        queryset = _queue(Order.objects.all(), "unpaid_invoices")
        return {
            "count": n,
            "owed": [{"currency": t["currency"], "amount": t["owed"]} for t in totals],
            # Only when there are some: looking for rows that do not exist costs a pass for nothing.
            "rows": _rows(queryset.order_by(*OLDEST_FIRST)) if n else [],
        }

    return _Reading([], finish)


def queue_unpaid_invoices() -> dict:
    """On-account orders whose invoice the customer has not paid yet, oldest first, with what is owed."""
    return _read(_unpaid_invoices())[0]


def queue_stuck() -> dict:
    """Orders automatic work left behind (a lost task the reconciler could not drive on, an email given up
    on): for managers, who can find out why. Oldest first."""
    return _read(_oldest_first(_queue(Order.objects.all(), "stuck")))[0]


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

    Every count the page shows (the figures', each queue's and each hold reason's) and the ids of each queue's
    first orders are read in one statement, those orders in one query; then what is left (today's totals,
    inquiries, invoices owed).
    """
    if not user.has_perm("orders.view_order"):
        return {"figures": None, "queues": {}}
    names = [name for name in _QUEUE_READINGS if user.has_perm(QUEUE_PERMISSIONS[name])]
    *queues, figures = _read(*(_QUEUE_READINGS[name]() for name in names), _figures())
    return {"figures": figures, "queues": dict(zip(names, queues, strict=True))}
