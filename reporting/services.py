"""Writes of the reporting app: marks, per-order facts, daily rollups, the rebuild.

The flow: an order event marks the order dirty (``order_mark_dirty``, same transaction as the change);
``refresh_dirty`` (a beat task every ``OMS_REPORT_REFRESH_SECONDS``) recomputes the marked orders' facts
from the source tables and then every day bucket those orders touch (old and new days), from the facts.
Everything is recomputed from source, never incremented, so running it twice or after a crash is harmless;
one refresh runs at a time (a transaction-level advisory lock on PostgreSQL, safe with pgbouncer).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import CharField, Count, F, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Left, TruncDate

from oms import deferred
from orders.models import LineAllocation, Order, OrderEvent, OrderLine
from reporting.filters import day_start, local_day, shop_tz
from reporting.models import NONE, DailyHoldRollup, DailyRollup, DailySkuRollup, DirtyOrder, OrderFact, OrderHold

REFRESH_LOCK = 0x5E9047  # advisory lock key: one refresh or rebuild at a time
CANCELLED = "cancelled"


def _db() -> str:
    return router.db_for_write(OrderFact)


# -- marks (called inside the order's transaction) ----------------------------------------------------------
def order_mark_dirty(order_id: int) -> None:
    """Mark an order for the next refresh; a mark already pending gets a new version."""
    table = DirtyOrder._meta.db_table
    deferred.write(
        f"INSERT INTO {table} (order_id, version) VALUES (%s, 1) "
        f"ON CONFLICT (order_id) DO UPDATE SET version = {table}.version + 1",
        [order_id],
        using=_db(),
    )


def order_event_mark(events: list[OrderEvent]) -> None:
    """An order's new timeline entries, in their transaction (named by ``OMS_ORDER_EVENT_HOOKS``): record the
    holds they open or end, and mark the order for the next refresh (once, however many entries). This is the
    reporting app's outbox: the mark commits or rolls back with the change, and the refresh beat job turns marks
    into facts and rollups."""
    for event in events:
        if event.to_status == "on_hold" or event.from_status == "on_hold":
            hold_record(event=event)
    for order_id in dict.fromkeys(event.order_id for event in events):
        order_mark_dirty(order_id)


def hold_record(*, event: OrderEvent) -> None:
    """Open a hold row when an order goes on hold (with its reason), close it when the hold ends."""
    if event.from_status == "on_hold":
        OrderHold.objects.filter(order_id=event.order_id, released_at=None).update(released_at=event.at)
    if event.to_status == "on_hold":
        OrderHold.objects.create(order_id=event.order_id, reason=event.order.hold_reason or "other", held_at=event.at)


# -- facts ------------------------------------------------------------------------------------------------
FACT_COLUMNS = [
    "order_id",
    "customer_id",
    "channel",
    "storefront_id",
    "warehouse_id",
    "status",
    "status_since",
    "currency",
    "units",
    "total",
    "cancelled",
    "cancel_reason",
    "placed_at",
    "placed_day",
    "confirmed_at",
    "shipped_at",
    "shipped_day",
    "delivered_at",
    "delivered_day",
    "cancelled_at",
    "promised_ship_date",
    "estimated_delivery_date",
    "customer_seq",
]


def _fact_select(orders):
    """The orders as fact rows: one SELECT whose columns are FACT_COLUMNS, in order."""
    tz = shop_tz()
    events = OrderEvent.objects.filter(order=OuterRef("pk")).order_by()
    units = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(n=Sum("quantity"))
        .values("n")
    )
    warehouse = (
        LineAllocation.objects.filter(line__order=OuterRef("pk"))
        .order_by()
        .values("line__order")
        .annotate(w=Min("warehouse_id"))
        .values("w")
    )
    confirmed = events.filter(to_status="confirmed").values("order").annotate(m=Min("at")).values("m")
    entered = events.filter(to_status=OuterRef("status")).values("order").annotate(m=Max("at")).values("m")
    cancel_note = events.filter(to_status=CANCELLED).order_by("-at").values("note")[:1]
    # The how-manieth order of its customer this is (orders placed at or before it): never changes later.
    seq = (
        Order.objects.filter(customer_id=OuterRef("customer_id"), placed_at__lte=OuterRef("placed_at"))
        .order_by()
        .values("customer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    columns = {
        "f_order_id": F("pk"),
        "f_customer_id": F("customer_id"),
        "f_channel": F("channel"),
        "f_storefront_id": Coalesce(F("storefront_id"), Value(NONE)),
        "f_warehouse_id": Coalesce(Subquery(warehouse), Value(NONE)),
        "f_status": F("status"),
        "f_status_since": Subquery(entered),
        "f_currency": F("currency"),
        "f_units": Coalesce(Subquery(units), Value(0)),
        "f_total": F("total"),
        "f_cancelled": Q(status=CANCELLED),
        "f_cancel_reason": Left(Coalesce(Subquery(cancel_note), Value(""), output_field=CharField()), 200),
        "f_placed_at": F("placed_at"),
        "f_placed_day": TruncDate("placed_at", tzinfo=tz),
        "f_confirmed_at": Subquery(confirmed),
        "f_shipped_at": F("shipped_at"),
        "f_shipped_day": TruncDate("shipped_at", tzinfo=tz),
        "f_delivered_at": F("delivered_at"),
        "f_delivered_day": TruncDate("delivered_at", tzinfo=tz),
        "f_cancelled_at": F("cancelled_at"),
        "f_promised_ship_date": F("promised_ship_date"),
        "f_estimated_delivery_date": F("estimated_delivery_date"),
        "f_customer_seq": Coalesce(Subquery(seq), Value(1)),
    }
    names = list(columns)
    return orders.order_by().annotate(**columns).values(*names)


def facts_refresh(orders) -> None:
    """Recompute the fact rows of ``orders`` (a queryset of Order) in one INSERT … SELECT … ON CONFLICT."""
    select = _fact_select(orders)
    sql, params = select.query.sql_with_params()
    table = OrderFact._meta.db_table
    cols = ", ".join(FACT_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in FACT_COLUMNS[1:])
    with connections[_db()].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT * FROM ({sql}) AS f WHERE true "
            f"ON CONFLICT (order_id) DO UPDATE SET {updates}",
            params,
        )


# -- rollups ----------------------------------------------------------------------------------------------
def _key(row) -> tuple:
    return (row["channel"], row["storefront_id"], row["warehouse_id"])


def days_recompute(days: Iterable[date]) -> None:
    """Recompute the daily rollups (buckets and SKUs) of ``days`` from the facts and order lines."""
    days = sorted({d for d in days if d is not None})
    for first, last in _runs(days):
        _range_recompute(first, last)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _range_recompute(first: date, last: date) -> None:
    db = _db()
    facts = OrderFact.objects.using(db).order_by()
    dims = ("channel", "storefront_id", "warehouse_id")
    buckets: dict[tuple, dict] = defaultdict(dict)
    kept = Q(cancelled=False)
    placed = (
        facts.filter(placed_day__range=(first, last))
        .values("placed_day", *dims)
        .annotate(
            orders=Count("pk"),
            units=Coalesce(Sum("units", filter=kept), 0),
            revenue=Coalesce(Sum("total", filter=kept), Value(0, output_field=OrderFact._meta.get_field("total"))),
            cancelled_n=Count("pk", filter=Q(cancelled=True)),
            cancelled_value=Sum("total", filter=Q(cancelled=True)),
        )
    )
    for row in placed:
        buckets[(row["placed_day"], *_key(row))].update(
            orders=row["orders"],
            units=row["units"],
            revenue=row["revenue"] or 0,
            cancelled=row["cancelled_n"],
            cancelled_value=row["cancelled_value"] or 0,
        )
    shipped = (
        facts.filter(shipped_day__range=(first, last))
        .values("shipped_day", *dims)
        .annotate(
            n=Count("pk"),
            promised=Count("pk", filter=Q(promised_ship_date__isnull=False)),
            on_time=Count("pk", filter=Q(shipped_day__lte=F("promised_ship_date"))),
        )
    )
    for row in shipped:
        buckets[(row["shipped_day"], *_key(row))].update(
            shipped=row["n"], shipped_with_promise=row["promised"], shipped_on_time=row["on_time"]
        )
    delivered = (
        facts.filter(delivered_day__range=(first, last))
        .values("delivered_day", *dims)
        .annotate(
            n=Count("pk"),
            estimated=Count("pk", filter=Q(estimated_delivery_date__isnull=False)),
            on_time=Count("pk", filter=Q(delivered_day__lte=F("estimated_delivery_date"))),
        )
    )
    for row in delivered:
        buckets[(row["delivered_day"], *_key(row))].update(
            delivered=row["n"], delivered_with_estimate=row["estimated"], delivered_on_time=row["on_time"]
        )
    rows = [
        DailyRollup(day=day, channel=channel, storefront_id=sf, warehouse_id=wh, **values)
        for (day, channel, sf, wh), values in buckets.items()
    ]
    lines = (
        OrderLine.objects.using(db)
        .filter(order__fact__placed_day__range=(first, last), order__fact__cancelled=False)
        .order_by()
        .values(
            day=F("order__fact__placed_day"),
            sku_=F("sku"),
            channel=F("order__fact__channel"),
            storefront_id=F("order__fact__storefront_id"),
            warehouse_id=F("order__fact__warehouse_id"),
        )
        .annotate(units=Sum("quantity"), revenue=Sum("line_total"), name=Min("name"))
    )
    sku_rows = [DailySkuRollup(sku=row.pop("sku_"), **row) for row in lines]
    holds = (
        OrderHold.objects.using(db)
        .filter(held_at__gte=day_start(first), held_at__lt=day_start(last + timedelta(days=1)))
        .order_by()
        .values(
            "reason",
            day=TruncDate("held_at", tzinfo=shop_tz()),
            channel=F("order__fact__channel"),
            storefront_id=F("order__fact__storefront_id"),
            warehouse_id=F("order__fact__warehouse_id"),
        )
        .annotate(holds=Count("pk"))
    )
    hold_rows = [DailyHoldRollup(**row) for row in holds if row["channel"] is not None]
    DailyHoldRollup.objects.using(db).filter(day__range=(first, last)).delete()
    DailyHoldRollup.objects.using(db).bulk_create(hold_rows, batch_size=2000)
    DailyRollup.objects.using(db).filter(day__range=(first, last)).delete()
    DailyRollup.objects.using(db).bulk_create(rows, batch_size=2000)
    DailySkuRollup.objects.using(db).filter(day__range=(first, last)).delete()
    DailySkuRollup.objects.using(db).bulk_create(sku_rows, batch_size=2000)


# -- refresh and rebuild ----------------------------------------------------------------------------------
def _lock(*, wait: bool) -> bool:
    """One refresh or rebuild at a time (PostgreSQL; SQLite writes are serial anyway)."""
    connection = connections[_db()]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REFRESH_LOCK])
        return cursor.fetchone()[0]


def _fact_days(order_ids) -> set[date]:
    """The shop days whose rollups these orders count in: placed, shipped, delivered, each hold's start."""
    days: set[date] = set()
    for row in (
        OrderFact.objects.using(_db())
        .filter(order_id__in=order_ids)
        .values_list("placed_day", "shipped_day", "delivered_day")
    ):
        days.update(row)
    held = OrderHold.objects.using(_db()).filter(order_id__in=order_ids).values_list("held_at", flat=True)
    days.update(local_day(moment) for moment in held)
    return days


def refresh_dirty(*, batch: int = 1000, max_batches: int = 50) -> int:
    """Turn pending marks into facts and rollups; returns how many orders were refreshed."""
    done = 0
    for _ in range(max_batches):
        with transaction.atomic(using=_db()):
            if not _lock(wait=False):
                return done
            marks = list(
                DirtyOrder.objects.using(_db()).order_by("order_id").values_list("order_id", "version")[:batch]
            )
            if not marks:
                return done
            ids = [order_id for order_id, _version in marks]
            days = _fact_days(ids)
            facts_refresh(Order.objects.using(_db()).filter(pk__in=ids))
            days |= _fact_days(ids)
            days_recompute(days)
            by_version: dict[int, list[int]] = defaultdict(list)
            for order_id, version in marks:
                by_version[version].append(order_id)
            for version, order_ids in by_version.items():
                DirtyOrder.objects.using(_db()).filter(order_id__in=order_ids, version=version).delete()
            done += len(marks)
    return done


def rebuild(date_from: date, date_to: date, *, chunk_days: int = 31, progress=None) -> int:
    """Recompute facts and rollups of orders placed (or shipped/delivered) from ``date_from`` to ``date_to``.

    Facts are rebuilt for orders placed in the range; rollups for every day of the range. Returns the number
    of fact rows written.
    """
    written = 0
    day = date_from
    while day <= date_to:
        last = min(date_to, day + timedelta(days=chunk_days - 1))
        with transaction.atomic(using=_db()):
            _lock(wait=True)
            orders = Order.objects.using(_db()).filter(
                placed_at__gte=day_start(day), placed_at__lt=day_start(last + timedelta(days=1))
            )
            facts_refresh(orders)
            written += OrderFact.objects.using(_db()).filter(placed_day__range=(day, last)).count()
        if progress:
            progress(day, last)
        day = last + timedelta(days=1)
    day = date_from
    while day <= date_to:
        last = min(date_to, day + timedelta(days=chunk_days - 1))
        with transaction.atomic(using=_db()):
            _lock(wait=True)
            _range_recompute(day, last)
        day = last + timedelta(days=1)
    connection = connections[_db()]
    if connection.vendor == "postgresql" and written > 10_000:
        # Tables this much rewritten need fresh planner statistics now, not at autovacuum's next visit.
        tables = ", ".join(m._meta.db_table for m in (OrderFact, DailyRollup, DailySkuRollup, DailyHoldRollup))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    return written


def refresh_inline_if_no_worker() -> None:
    """With tasks in-process (``make demo``, no beat), refresh before a report reads."""
    if settings.OMS_TASKS_INLINE and DirtyOrder.objects.exists():
        refresh_dirty()
