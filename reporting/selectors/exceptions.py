"""Exceptions: what left the happy path in the window — holds (rate, by reason, time to release), payment
declines, carrier exceptions, stock-outs, returns and quality-control failures.

Holds are read from the hold history (``reporting.models.OrderHold``), which the reporting app writes from the
timeline's ``on_hold`` events with the hold's reason code, and closes when the hold ends.
"""

from collections import defaultdict
from statistics import median

from django.db.models import Count, F, Sum

from inventory.models import StockItem
from oms.db_router import read_from_replica
from orders.models import HoldReason, OrderLine, OrderStatus
from payments.models import GatewayTransaction
from reporting.models import OrderHold
from reporting.selectors.rollups import rate
from reporting.selectors.scope import (
    hours_between,
    order_scope_q,
    orders_placed,
)
from returns.models import ReturnLine
from shipping.models import TrackingEvent
from shipping.selectors import qc_counts_by_product


def hold_summary(*, filters) -> dict:
    """Hold rate of the orders placed in the window, and the holds that began in it by reason with time to release.

    ``rate``: share of orders placed in the window that were ever held. ``by_reason``: one row per reason with
    ``holds``, ``released`` (of those, ended since: released or cancelled), ``median_hours`` and
    ``average_hours`` from hold to its end.
    """
    placed = orders_placed(filters).count()
    # From the hold side: an order placed in the window is held after its placement, so only holds since the
    # window began (the held_at index) are joined to the window's orders.
    held = (
        OrderHold.objects.filter(
            order_scope_q(filters, "order__"),
            held_at__gte=filters.start,
            order__placed_at__gte=filters.start,
            order__placed_at__lt=filters.end,
        )
        .order_by()
        .values("order_id")
        .distinct()
        .count()
    )
    holds = (
        OrderHold.objects.filter(order_scope_q(filters, "order__"), held_at__gte=filters.start, held_at__lt=filters.end)
        .order_by()
        .values_list("reason", "held_at", "released_at")
    )
    waits: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for reason, held_at, released_at in holds.iterator(chunk_size=2000):
        reason = reason if reason in HoldReason.values else HoldReason.OTHER
        counts[reason] += 1
        if released_at is not None:
            waits[reason].append(hours_between(held_at, released_at))
    rows = [
        {
            "reason": reason,
            "label": HoldReason(reason).label,
            "holds": counts[reason],
            "released": len(waits[reason]),
            "median_hours": round(median(waits[reason]), 1) if waits[reason] else None,
            "average_hours": round(sum(waits[reason]) / len(waits[reason]), 1) if waits[reason] else None,
        }
        for reason in HoldReason.values
        if counts[reason]
    ]
    rows.sort(key=lambda row: -row["holds"])
    return {"orders": placed, "held": held, "rate": rate(held, placed), "by_reason": rows}


def payment_declines(*, filters) -> list[dict]:
    """Declined gateway calls in the window by error code: ``declines``, ``orders`` affected, ``amount``."""
    rows = (
        GatewayTransaction.objects.filter(
            order_scope_q(filters, "payment__order__"),
            outcome=GatewayTransaction.Outcome.DECLINED,
            created_at__gte=filters.start,
            created_at__lt=filters.end,
        )
        .order_by()
        .values("error_code")
        .annotate(declines=Count("pk"), orders=Count("payment__order_id", distinct=True), amount=Sum("amount"))
        .order_by("-declines", "error_code")
    )
    return [{**row, "error_code": row["error_code"] or "unspecified"} for row in rows]


def carrier_exceptions(*, filters) -> list[dict]:
    """Carrier ``exception`` tracking events in the window by carrier: ``exceptions`` and ``parcels``."""
    return list(
        TrackingEvent.objects.filter(
            order_scope_q(filters, "shipment__order__"),
            status=TrackingEvent.Status.EXCEPTION,
            occurred_at__gte=filters.start,
            occurred_at__lt=filters.end,
        )
        .order_by()
        .values("shipment__carrier")
        .annotate(exceptions=Count("pk"), parcels=Count("shipment_id", distinct=True))
        .order_by("-exceptions", "shipment__carrier")
        .values("shipment__carrier", "exceptions", "parcels")
    )


def stock_outs(*, filters, limit: int = 50) -> list[dict]:
    """The SKUs that orders on hold for stock wait for now (within the filter's scope, any placement date):
    those whose available stock (on hand − reserved, all warehouses) is short of the units the held orders
    want. Per SKU: ``orders`` held, ``units`` wanted, ``available`` now; most orders first.

    A held order reserved nothing (reservation is all or nothing), so its other lines are in the list only
    when they are short too.
    """
    wanted = list(
        OrderLine.objects.filter(
            order_scope_q(filters, "order__"),
            order__status=OrderStatus.ON_HOLD,
            order__hold_reason=HoldReason.OUT_OF_STOCK,
        )
        .order_by()
        .values("sku", "name", "product_id")
        .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"))
    )
    available = dict(
        StockItem.objects.filter(product_id__in={row["product_id"] for row in wanted})
        .order_by()
        .values("product_id")
        .annotate(n=Sum(F("on_hand") - F("reserved")))
        .values_list("product_id", "n")
    )
    short = []
    for row in wanted:
        row["available"] = available.get(row.pop("product_id"), 0)
        if row["available"] < row["units"]:
            short.append(row)
    short.sort(key=lambda row: (-row["orders"], -row["units"], row["sku"]))
    return short[:limit]


def returns_by_product(*, filters, limit: int = 50) -> list[dict]:
    """Units returned per SKU and reason for returns opened in the window, with the SKU's return rate against
    the units of orders placed in the window."""
    rows = list(
        ReturnLine.objects.filter(
            order_scope_q(filters, "order_line__order__"),
            return_request__created_at__gte=filters.start,
            return_request__created_at__lt=filters.end,
        )
        .exclude(return_request__status__in=["cancelled", "rejected"])
        .order_by()
        .values("order_line__sku", "reason")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "order_line__sku")[:limit]
    )
    skus = {row["order_line__sku"] for row in rows}
    sold = dict(
        OrderLine.objects.filter(order__in=orders_placed(filters), sku__in=skus)
        .order_by()
        .values("sku")
        .annotate(units=Sum("quantity"))
        .values_list("sku", "units")
    )
    return [
        {
            "sku": row["order_line__sku"],
            "reason": row["reason"],
            "units": row["units"],
            "return_rate": rate(row["units"], sold.get(row["order_line__sku"], 0)),
        }
        for row in rows
    ]


def qc_failures(*, filters) -> list[dict]:
    """Per SKU, the quality-control checks of the window's days that failed, beside those that passed, with
    the failure rate; SKUs that never failed are left out. The shop-wide figure: the checks ignore the
    channel, storefront and warehouse filters."""
    rows = qc_counts_by_product(date_from=filters.date_from, date_to=filters.date_to)
    failed = [
        {**row, "failure_rate": rate(row["failed"], row["passed"] + row["failed"])} for row in rows if row["failed"]
    ]
    failed.sort(key=lambda row: (-row["failed"], row["sku"]))
    return failed


@read_from_replica()
def exceptions_report(*, filters) -> dict:
    """Everything the Exceptions page shows."""
    return {
        "holds": hold_summary(filters=filters),
        "declines": payment_declines(filters=filters),
        "carrier_exceptions": carrier_exceptions(filters=filters),
        "stock_outs": stock_outs(filters=filters),
        "returns": returns_by_product(filters=filters),
        "qc_failures": qc_failures(filters=filters),
    }
