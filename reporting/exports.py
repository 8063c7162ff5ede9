"""Exports for finance and operations: orders, order lines, payments and refunds, stock movements and returns,
as rows read in keyset pages (``CHUNK`` rows a query, no server-side cursor, nothing held in memory), for a
CSV stream or an XLSX file.

Scope of each export (``ReportFilter``: range in shop time, channel, storefront, warehouse):

- ``orders``: orders placed in the range (the columns of ``GET /api/v1/reports/orders.csv``);
- ``order_lines``: the lines of those orders;
- ``payments``: the gateway calls (authorize, capture, void, refund, invoice paid) of those orders, with their
  outcome: refunds are the ``refund`` rows;
- ``stock_movements``: the stock ledger's rows made in the range (the warehouse filter applies; channel and
  storefront do not);
- ``returns``: return requests opened in the range, when the returns app is installed.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum

from inventory.models import StockMovement
from oms.db_router import read_from_replica
from orders.models import Order, OrderLine
from payments.models import GatewayTransaction
from reporting.filters import ReportFilter, shop_tz
from reporting.selectors.scope import order_scope_q
from returns.models import ReturnRequest

CHUNK = 2000
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    header: list[str]
    rows: Callable[[ReportFilter], Iterator[list]]
    count: Callable[[ReportFilter], int]


def keyset(queryset: QuerySet, fields: list[str], *, by: str) -> Iterator[tuple]:
    """``values_list(*fields)`` of ``queryset`` in pages of ``CHUNK`` ordered by (``by``, pk), each page one short
    query that starts after the last row of the one before. ``fields`` must start with ``"pk"`` and ``by``."""
    ordered = queryset.order_by(by, "pk")
    after = None
    while True:
        page = ordered
        if after is not None:
            page = page.filter(Q(**{f"{by}__gt": after[1]}) | Q(**{by: after[1], "pk__gt": after[0]}))
        rows = list(page.values_list(*fields)[:CHUNK])
        yield from rows
        if len(rows) < CHUNK:
            return
        after = rows[-1]


def _orders(filters: ReportFilter) -> QuerySet[Order]:
    return Order.objects.filter(order_scope_q(filters), placed_at__gte=filters.start, placed_at__lt=filters.end)


def _order_pages(filters: ReportFilter) -> Iterator[list[tuple]]:
    """The (pk, placed_at, number, currency) of the range's orders, a page at a time."""
    page = []
    for row in keyset(_orders(filters), ["pk", "placed_at", "number", "currency"], by="placed_at"):
        page.append(row)
        if len(page) == CHUNK:
            yield page
            page = []
    if page:
        yield page


ORDER_HEADER = (
    "number,placed_at,channel,status,customer_email,units,subtotal,shipping_total,tax_total,total,currency,"
    "shipped_at,delivered_at"
)


def order_rows(filters: ReportFilter) -> Iterator[list]:
    units = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Sum("quantity"))
    orders = _orders(filters).annotate(units=Subquery(units.values("n")))
    fields = ["pk", "placed_at", "number", "channel", "status", "customer__email", "units", "subtotal"]
    fields += ["shipping_total", "tax_total", "total", "currency", "shipped_at", "delivered_at"]
    for _pk, placed, number, *rest in keyset(orders, fields, by="placed_at"):
        channel, status, email, n, *money_and_dates = rest
        yield [number, placed, channel, status, email, n or 0, *money_and_dates]


def line_rows(filters: ReportFilter) -> Iterator[list]:
    for page in _order_pages(filters):
        orders = {pk: (placed, number, currency) for pk, placed, number, currency in page}
        lines = OrderLine.objects.filter(order_id__in=orders).order_by("order_id", "pk")
        fields = ["order_id", "sku", "name", "quantity", "unit_price", "line_total", "quantity_shipped"]
        for order_id, *line in lines.values_list(*fields):
            placed, number, currency = orders[order_id]
            yield [number, placed, *line, currency]


def payment_rows(filters: ReportFilter) -> Iterator[list]:
    for page in _order_pages(filters):
        numbers = {pk: number for pk, _placed, number, _currency in page}
        calls = GatewayTransaction.objects.filter(payment__order_id__in=numbers).order_by("created_at", "pk")
        fields = ["payment__order_id", "created_at", "payment__method", "kind", "outcome", "amount"]
        fields += ["payment__currency", "reference", "error_code"]
        for order_id, *call in calls.values_list(*fields):
            yield [numbers[order_id], *call]


def _movements(filters: ReportFilter) -> QuerySet[StockMovement]:
    movements = StockMovement.objects.filter(created_at__gte=filters.start, created_at__lt=filters.end)
    if filters.warehouse:
        movements = movements.filter(stock_item__warehouse_id=filters.warehouse)
    return movements


def movement_rows(filters: ReportFilter) -> Iterator[list]:
    fields = ["pk", "created_at", "stock_item__warehouse__code", "stock_item__product__sku", "kind"]
    fields += ["on_hand_delta", "reserved_delta", "reference", "reason", "actor"]
    for _pk, *row in keyset(_movements(filters), fields, by="created_at"):
        yield row


def _returns(filters: ReportFilter) -> QuerySet:
    return ReturnRequest.objects.filter(
        order_scope_q(filters, "order__"), created_at__gte=filters.start, created_at__lt=filters.end
    )


def return_rows(filters: ReportFilter) -> Iterator[list]:
    fields = ["pk", "created_at", "number", "order__number", "status", "resolution", "refund_total", "currency"]
    fields += ["closed_at"]
    for _pk, *row in keyset(_returns(filters), fields, by="created_at"):
        yield row


EXPORTS = {
    export.name: export
    for export in [
        Export("orders", "Orders", ORDER_HEADER.split(","), order_rows, lambda f: _orders(f).count()),
        Export(
            "order_lines",
            "Order lines",
            "order,placed_at,sku,name,quantity,unit_price,line_total,quantity_shipped,currency".split(","),
            line_rows,
            lambda f: OrderLine.objects.filter(order__in=_orders(f)).count(),
        ),
        Export(
            "payments",
            "Payments and refunds",
            "order,at,method,kind,outcome,amount,currency,reference,error_code".split(","),
            payment_rows,
            lambda f: GatewayTransaction.objects.filter(payment__order__in=_orders(f)).count(),
        ),
        Export(
            "stock_movements",
            "Stock movements",
            "at,warehouse,sku,kind,on_hand_delta,reserved_delta,reference,reason,actor".split(","),
            movement_rows,
            lambda f: _movements(f).count(),
        ),
        Export(
            "returns",
            "Returns",
            "created_at,number,order,status,resolution,refund_total,currency,closed_at".split(","),
            return_rows,
            lambda f: _returns(f).count(),
        ),
    ]
}


def exports_available() -> list[Export]:
    """The exports this installation offers (returns only with the returns app)."""
    return list(EXPORTS.values())


@read_from_replica()
def export_count(*, name: str, filters: ReportFilter) -> int:
    return EXPORTS[name].count(filters)


def export_rows(*, name: str, filters: ReportFilter) -> Iterator[list]:
    """The export's rows, read from the replica when one is configured (a generator: the block lasts the read)."""
    with read_from_replica():
        yield from EXPORTS[name].rows(filters)


def local_naive(moment: datetime) -> datetime:
    """A moment as shop-time wall clock without a zone (spreadsheets hold no time zones)."""
    return moment.astimezone(shop_tz()).replace(tzinfo=None)
