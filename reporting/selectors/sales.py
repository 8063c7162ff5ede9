"""Sales figures for a ReportFilter: orders, units, revenue, AOV, cancellations, refunds, by channel, top
products and customers, a time series, and the same for the previous period.

Definitions (README "Reporting"): an order counts on the shop day it was *placed* (shop time zone), whatever
its status now. ``revenue`` is the sum of ``total`` of those orders not cancelled now (tax and shipping
included, one shop currency assumed); ``units`` the quantities of their lines; ``average_order_value`` revenue
per non-cancelled order; ``cancelled`` the orders placed in the range and cancelled now. Figures come from the
daily rollups, which are at most ``OMS_REPORT_REFRESH_SECONDS`` (+ the refresh's own time) behind.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Sum
from django.db.models.functions import Coalesce

from oms.db_router import read_from_replica
from orders.models import Channel, Customer
from reporting.filters import ReportFilter
from reporting.selectors.rollups import facts_placed, rollups, scope_q
from reporting.selectors.scope import order_scope_q
from returns.models import ReturnRequest

ZERO = Decimal("0.00")
METRICS = ("orders", "revenue", "units")
INTERVALS = ("day", "week", "month")


def _money(value) -> Decimal:
    return (value or ZERO).quantize(ZERO)


@read_from_replica()
def sales_summary(filters: ReportFilter) -> dict:
    """``{"orders", "units", "revenue", "average_order_value", "cancelled", "cancelled_value", "refunds"}``."""
    totals = rollups(filters).aggregate(
        orders=Coalesce(Sum("orders"), 0),
        units=Coalesce(Sum("units"), 0),
        revenue=Sum("revenue"),
        cancelled=Coalesce(Sum("cancelled"), 0),
        cancelled_value=Sum("cancelled_value"),
    )
    kept = totals["orders"] - totals["cancelled"]
    revenue = _money(totals["revenue"])
    return {
        "orders": totals["orders"],
        "units": totals["units"],
        "revenue": revenue,
        "average_order_value": (revenue / kept).quantize(ZERO) if kept else None,
        "cancelled": totals["cancelled"],
        "cancelled_value": _money(totals["cancelled_value"]),
        "refunds": refunds_from_returns(filters),
    }


def sales_comparison(filters: ReportFilter) -> dict:
    """``{"current": sales_summary, "previous": sales_summary of filters.previous(), "change": {key: ratio}}``.

    ``change`` is (current - previous) / previous per figure, None where the previous figure is 0 or None.
    """
    current, previous = sales_summary(filters), sales_summary(filters.previous())
    change = {}
    for key, value in current.items():
        before = previous[key]
        change[key] = round(float((value - before) / before), 4) if value is not None and before else None
    return {"current": current, "previous": previous, "change": change}


def refunds_from_returns(filters: ReportFilter) -> Decimal:
    """Money refunded for returns resolved (refunded, or the difference of an exchange) in the range, for
    orders in the filter's scope."""
    total = ReturnRequest.objects.filter(
        order_scope_q(filters, "order__"), resolved_at__gte=filters.start, resolved_at__lt=filters.end
    ).aggregate(total=Sum("refund_total"))["total"]
    return _money(total or ZERO)


@read_from_replica()
def cancellations_by_reason(filters: ReportFilter) -> list[dict]:
    """``[{"reason", "orders", "value"}]`` of orders placed in the range and cancelled, most first.

    The reason is the note given with the cancellation (``Cancelled`` when none was given).
    """
    rows = (
        facts_placed(filters)
        .filter(cancelled=True)
        .values("cancel_reason")
        .annotate(orders=Count("pk"), value=Sum("total"))
        .order_by("-orders", "cancel_reason")
    )
    return [
        {"reason": r["cancel_reason"] or "Cancelled", "orders": r["orders"], "value": _money(r["value"])} for r in rows
    ]


@read_from_replica()
def revenue_by_channel(filters: ReportFilter) -> list[dict]:
    """``[{"channel", "label", "orders", "revenue"}]`` for every channel with orders, largest revenue first."""
    labels = dict(Channel.choices)
    rows = (
        rollups(filters)
        .values("channel")
        .annotate(orders=Sum("orders"), revenue=Sum("revenue"))
        .filter(orders__gt=0)
        .order_by("-revenue", "channel")
    )
    return [
        {
            "channel": r["channel"],
            "label": labels.get(r["channel"], r["channel"]),
            "orders": r["orders"],
            "revenue": _money(r["revenue"]),
        }
        for r in rows
    ]


@read_from_replica()
def top_products(filters: ReportFilter, *, limit: int = 10) -> list[dict]:
    """``[{"sku", "name", "units", "revenue"}]``: line totals of non-cancelled orders placed in the range
    (from the per-SKU daily rollup), most revenue first."""
    from reporting.models import DailySkuRollup

    source = DailySkuRollup.objects.filter(scope_q(filters), day__range=(filters.date_from, filters.date_to))
    rows = source.values("sku").annotate(units=Sum("units"), revenue=Sum("revenue"), name=Min("name"))
    rows = rows.order_by("-revenue", "sku")[:limit]
    return [{"sku": r["sku"], "name": r["name"], "units": r["units"], "revenue": _money(r["revenue"])} for r in rows]


@read_from_replica()
def top_customers(filters: ReportFilter, *, limit: int = 10) -> list[dict]:
    """``[{"customer_id", "email", "name", "orders", "revenue"}]`` by revenue of non-cancelled orders placed."""
    rows = list(
        facts_placed(filters)
        .filter(cancelled=False)
        .values("customer_id")
        .annotate(orders=Count("pk"), revenue=Sum("total"))
        .order_by("-revenue", "customer_id")[:limit]
    )
    people = Customer.objects.in_bulk([r["customer_id"] for r in rows])
    return [
        {
            "customer_id": r["customer_id"],
            "email": getattr(people.get(r["customer_id"]), "email", ""),
            "name": getattr(people.get(r["customer_id"]), "name", ""),
            "orders": r["orders"],
            "revenue": _money(r["revenue"]),
        }
        for r in rows
    ]


def period_start(day: date, interval: str) -> date:
    """The first day of the day/week (Monday)/month that holds ``day``."""
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def periods(filters: ReportFilter, interval: str) -> list[date]:
    """Every period start from the one holding ``date_from`` to the one holding ``date_to``."""
    starts, day = [], period_start(filters.date_from, interval)
    while day <= filters.date_to:
        starts.append(day)
        if interval == "month":
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            day += timedelta(days=7 if interval == "week" else 1)
    return starts


@read_from_replica()
def timeseries(filters: ReportFilter, *, metric: str, interval: str) -> list[dict]:
    """``[{"period": date, "value": int | Decimal}]``, every period present, zeros included.

    ``metric``: orders (placed), revenue or units (of orders not cancelled); ``interval``: day, week (periods
    start on Monday) or month (on the 1st). The first and last period hold only the days inside the range.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}")
    zero = ZERO if metric == "revenue" else 0
    values = OrderedDict((start, zero) for start in periods(filters, interval))
    for row in rollups(filters).values("day").annotate(v=Sum(metric)):
        values[period_start(row["day"], interval)] += row["v"] or zero
    return [{"period": start, "value": _money(v) if metric == "revenue" else v} for start, v in values.items()]
