"""Milestones and flow for a ReportFilter: cycle times per stage (p50/p90), on-time shipping and delivery,
holds by reason, orders waiting at each stage right now with their age, and CSAT for the summary.

Cycle times are measured on the orders *placed* in the range, from their stored milestone timestamps
(``OrderFact``: placed, first confirmed, shipped, delivered), in hours; an order that has not reached the
later milestone yet is left out of that stage. PostgreSQL computes them with ``percentile_cont`` (over an
evenly spread sample of about EXACT_LIMIT orders when the range holds more); other databases (SQLite in
``make demo``) get the same interpolation in Python.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import connections, router
from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, Sum
from django.utils import timezone

from oms.db_router import read_from_replica
from orders.models import Feedback, OrderStatus
from reporting.filters import ReportFilter
from reporting.models import DailyHoldRollup, OrderFact
from reporting.selectors.rollups import facts_placed, rate, rollups, scope_q

# stage name → (start milestone, end milestone)
STAGES = {
    "placed_to_confirmed": ("placed_at", "confirmed_at"),
    "confirmed_to_shipped": ("confirmed_at", "shipped_at"),
    "shipped_to_delivered": ("shipped_at", "delivered_at"),
    "placed_to_delivered": ("placed_at", "delivered_at"),
}
# Where an order can wait, in lifecycle order; "ageing" buckets of the time since it got there.
OPEN_STAGES = [
    OrderStatus.PLACED,
    OrderStatus.VERIFIED,
    OrderStatus.CREDIT_APPROVED,
    OrderStatus.PAID,
    OrderStatus.CONFIRMED,
    OrderStatus.FULFILLING,
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.ON_HOLD,
]
EXACT_LIMIT = 50_000
AGEING = [("under_1d", 0, 1), ("1_to_3d", 1, 3), ("3_to_7d", 3, 7), ("over_7d", 7, None)]


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's ``percentile_cont``."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


@read_from_replica()
def cycle_times(filters: ReportFilter) -> dict[str, dict]:
    """``{stage: {"p50", "p90", "orders"}}`` in hours for each of STAGES (None when no order finished it)."""
    facts = facts_placed(filters)
    db = router.db_for_read(OrderFact)
    if connections[db].vendor == "postgresql":
        return _cycle_times_sql(filters, db)
    result = {}
    for stage, (start, end) in STAGES.items():
        pairs = facts.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).values_list(start, end)
        seconds = [(b - a).total_seconds() for a, b in pairs]
        result[stage] = {
            "p50": _hours(percentile(seconds, 0.5)),
            "p90": _hours(percentile(seconds, 0.9)),
            "orders": len(seconds),
        }
    return result


def _cycle_times_sql(filters: ReportFilter, db: str) -> dict[str, dict]:
    where, params = ["f.placed_day BETWEEN %s AND %s"], [filters.date_from, filters.date_to]
    for column, value in (("channel", filters.channel or None), ("storefront_id", filters.storefront)):
        if value is not None:
            where.append(f"f.{column} = %s")
            params.append(value)
    if filters.warehouse is not None:
        where.append("f.warehouse_id = %s")
        params.append(filters.warehouse)
    # Past EXACT_LIMIT orders, an evenly spread sample (every k-th order id) keeps the sort small: the
    # percentiles of ~EXACT_LIMIT orders differ from the exact ones by well under 1%.
    placed = rollups(filters).aggregate(n=Sum("orders"))["n"] or 0
    if placed > EXACT_LIMIT:
        where.append("mod(f.order_id, %s) = 0")
        params.append(math.ceil(placed / EXACT_LIMIT))
    parts = []
    for start, end in STAGES.values():
        seconds = f"EXTRACT(EPOCH FROM (f.{end} - f.{start}))"
        present = f"f.{start} IS NOT NULL AND f.{end} IS NOT NULL"
        parts.append(f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {seconds}) FILTER (WHERE {present})")
        parts.append(f"COUNT(*) FILTER (WHERE {present})")
    table = OrderFact._meta.db_table
    sql = f"SELECT {', '.join(parts)} FROM {table} f WHERE {' AND '.join(where)}"
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    result = {}
    for index, stage in enumerate(STAGES):
        values, count = row[2 * index], row[2 * index + 1]
        p50, p90 = values if values else (None, None)
        result[stage] = {"p50": _hours(p50), "p90": _hours(p90), "orders": count}
    return result


@read_from_replica()
def on_time_rates(filters: ReportFilter) -> dict[str, dict]:
    """``{"ship": {...}, "delivery": {...}}`` each ``{"rate", "on_time", "total"}``.

    Ship: orders shipped in the range that had a promised ship-by date; on time when shipped (shop day) on
    or before it. Delivery: orders delivered in the range that had an estimated delivery date; on time when
    delivered on or before it. ``rate`` is 0–1, None when ``total`` is 0.
    """
    sums = rollups(filters).aggregate(
        ship_total=Sum("shipped_with_promise"),
        ship_on_time=Sum("shipped_on_time"),
        delivery_total=Sum("delivered_with_estimate"),
        delivery_on_time=Sum("delivered_on_time"),
    )
    result = {}
    for kind in ("ship", "delivery"):
        total, on_time = sums[f"{kind}_total"] or 0, sums[f"{kind}_on_time"] or 0
        result[kind] = {"rate": rate(on_time, total), "on_time": on_time, "total": total}
    return result


@read_from_replica()
def holds_by_reason(filters: ReportFilter) -> dict[str, int]:
    """``{reason: holds}``: holds that began in the range (an order held twice counts twice), most first."""
    rows = (
        DailyHoldRollup.objects.filter(scope_q(filters), day__range=(filters.date_from, filters.date_to))
        .order_by()
        .values("reason")
        .annotate(n=Sum("holds"))
        .order_by("-n", "reason")
    )
    return {r["reason"]: r["n"] for r in rows}


@read_from_replica()
def csat_summary(filters: ReportFilter) -> dict:
    """``{"average", "responses"}`` of the customers' ratings (1–5) given in the range; average None if none."""
    ratings = Feedback.objects.filter(created_at__gte=filters.start, created_at__lt=filters.end)
    if scope_q(filters):
        ratings = ratings.filter(Exists(OrderFact.objects.filter(scope_q(filters), order_id=OuterRef("order_id"))))
    figures = ratings.order_by().aggregate(average=Avg("rating"), responses=Count("pk"))
    average = figures["average"]
    return {"average": round(float(average), 2) if average is not None else None, "responses": figures["responses"]}


@read_from_replica()
def stuck_orders(filters: ReportFilter | None = None, *, now=None) -> list[dict]:
    """``[{"stage", "label", "orders", "oldest_hours", "ageing": {bucket: n}}]`` for each open stage, now.

    The age is the time since the order entered its current status (its latest timeline event into it), as
    of the facts' last refresh. ``filters`` scopes by channel/storefront/warehouse only: this is a picture of
    now, not of the range.
    """
    now = now or timezone.now()
    facts = OrderFact.objects.filter(status__in=OPEN_STAGES)
    if filters is not None:
        facts = facts.filter(scope_q(filters))
    counts = {}
    for name, low, high in AGEING:
        window = Q(status_since__lte=now - timedelta(days=low))
        if high is not None:
            window &= Q(status_since__gt=now - timedelta(days=high))
        counts[name] = Count("pk", filter=window)
    rows = {
        r["status"]: r
        for r in facts.order_by().values("status").annotate(total=Count("pk"), oldest=Min("status_since"), **counts)
    }
    result = []
    for stage in OPEN_STAGES:
        row = rows.get(stage.value)
        oldest = row["oldest"] if row else None
        result.append(
            {
                "stage": stage.value,
                "label": stage.label,
                "orders": row["total"] if row else 0,
                "oldest_hours": _hours((now - oldest).total_seconds()) if oldest else None,
                "ageing": {name: (row[name] if row else 0) for name, _low, _high in AGEING},
            }
        )
    return result
