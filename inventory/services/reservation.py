"""Reserving stock for orders: lock the rows (in primary-key order), plan the warehouses, book the reservation and
its ledger rows in one statement."""

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from inventory.exceptions import OutOfStock
from inventory.models import Product, StockItem, StockMovement, Warehouse
from inventory.services.alerts import stock_low_alert
from oms import deferred, prepared
from oms.deferred import Statement


@dataclass(frozen=True)
class StockRequest:
    key: int  # the caller's id for this request (an order line)
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Allocation:
    key: int
    stock_item_id: int
    warehouse_id: int
    quantity: int


def _lock_items(product_ids: set[int], products: dict[int, Product] | None = None) -> list[StockItem]:
    """The stock rows of ``product_ids`` in active warehouses, locked in primary-key order, with their warehouse
    and product (``products``: the caller's, by id, taken instead of the ones read). On PostgreSQL one SQL text,
    written once (this runs for every placement); elsewhere the ORM."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return list(
            StockItem.objects.select_for_update(of=("self",))
            .select_related("warehouse", "product")
            .filter(product_id__in=product_ids, warehouse__is_active=True)
            .order_by("pk")
        )
    with connection.cursor() as cursor:
        cursor.execute(prepared.marked(_lock_sql()), [sorted(product_ids)])
        rows = cursor.fetchall()
    items = []
    warehouses: dict[int, Warehouse] = {}
    products = dict(products or {})
    (item_start, item_end), (warehouse_start, warehouse_end), (product_start, product_end) = _LOCK_SLICES
    for row in rows:
        item = StockItem.from_db(
            connection.alias, _LOCK_COLUMNS[StockItem], _converted(StockItem, row[item_start:item_end], connection)
        )
        warehouse = warehouses.get(item.warehouse_id)
        if warehouse is None:
            values = _converted(Warehouse, row[warehouse_start:warehouse_end], connection)
            warehouse = warehouses[item.warehouse_id] = Warehouse.from_db(
                connection.alias, _LOCK_COLUMNS[Warehouse], values
            )
        product = products.get(item.product_id)
        if product is None:
            values = _converted(Product, row[product_start:product_end], connection)
            product = products[item.product_id] = Product.from_db(connection.alias, _LOCK_COLUMNS[Product], values)
        item._state.fields_cache["warehouse"], item._state.fields_cache["product"] = warehouse, product
        items.append(item)
    return items


# What planning and booking read of each row: the stock row whole; of its warehouse and product what the plan (the
# warehouse's priority), the low-stock rule (``_book``) and the out-of-stock message use, the rest left deferred.
_LOCK_COLUMNS = {
    StockItem: [f.attname for f in StockItem._meta.concrete_fields],
    Warehouse: ["id", "priority", "is_active"],
    Product: ["id", "sku", "is_active", "reorder_point"],
}
_LOCK_FIELDS = {model: [model._meta.get_field(name) for name in names] for model, names in _LOCK_COLUMNS.items()}


def _converted(model, values: tuple, connection) -> list:
    """``values`` as the ORM would give them (a JSON field's text parsed, say)."""
    values = list(values)
    for n, field in enumerate(_LOCK_FIELDS[model]):
        if values[n] is not None and hasattr(field, "from_db_value"):
            values[n] = field.from_db_value(values[n], None, connection)
    return values


_LOCK_WIDTHS = [len(_LOCK_COLUMNS[model]) for model in (StockItem, Warehouse, Product)]
_LOCK_SLICES = [(sum(_LOCK_WIDTHS[:n]), sum(_LOCK_WIDTHS[: n + 1])) for n in range(3)]


@functools.cache
def _lock_sql() -> str:
    """What ``_lock_items``'s queryset compiles to, with the products as one array parameter."""

    def columns(model, alias):
        return ", ".join(f'{alias}."{f.column}"' for f in _LOCK_FIELDS[model])

    return (
        f"SELECT {columns(StockItem, 's')}, {columns(Warehouse, 'w')}, {columns(Product, 'p')} "
        f'FROM "{StockItem._meta.db_table}" s '
        f'JOIN "{Warehouse._meta.db_table}" w ON w."id" = s."warehouse_id" '
        f'JOIN "{Product._meta.db_table}" p ON p."id" = s."product_id" '
        f'WHERE s."product_id" = ANY(%s::bigint[]) AND w."is_active" ORDER BY s."id" FOR UPDATE OF s'
    )


def _plan(requests: list[StockRequest], items: list[StockItem]) -> tuple[list[Allocation], dict[int, int]]:
    """Choose warehouses: one warehouse for the whole order when one can, else split line by line."""
    by_product: dict[int, list[StockItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.warehouse.priority, i.warehouse_id)):
        by_product[item.product_id].append(item)

    need: dict[int, int] = defaultdict(int)
    for request in requests:
        need[request.product_id] += request.quantity
    for _, warehouse_id in sorted({(i.warehouse.priority, i.warehouse_id) for i in items}):
        stock = {i.product_id: i for i in items if i.warehouse_id == warehouse_id}
        if all(p in stock and stock[p].available >= q for p, q in need.items()):
            return [Allocation(r.key, stock[r.product_id].pk, warehouse_id, r.quantity) for r in requests], {}

    available = {i.pk: i.available for i in items}
    allocations: list[Allocation] = []
    short: dict[int, int] = {}
    for request in requests:
        remaining = request.quantity
        for item in by_product.get(request.product_id, []):
            take = min(remaining, available[item.pk])
            if take > 0:
                allocations.append(Allocation(request.key, item.pk, item.warehouse_id, take))
                available[item.pk] -= take
                remaining -= take
            if remaining == 0:
                break
        if remaining:
            short[request.product_id] = short.get(request.product_id, 0) + remaining
    return allocations, short


def stock_reserve(*, requests: list[StockRequest], reference: str, actor: str = "") -> list[Allocation]:
    """Reserve stock for every request or for none; raises OutOfStock naming what is short.

    Its own transaction, or a part of the caller's without a savepoint: nothing is written before it knows
    every request fits, and OutOfStock is raised after the block, so the caller's transaction stays usable.
    """
    with transaction.atomic(savepoint=False):
        items = _lock_items({r.product_id for r in requests})
        allocations, short = _plan(requests, items)
        if not short:
            _book(allocations, items, reference=reference, actor=actor)
    if short:
        raise _out_of_stock(short, items)
    return allocations


def stock_reserve_available(
    *,
    requests: list[StockRequest],
    reference: str,
    actor: str = "",
    whole: frozenset[int] = frozenset(),
    later: Callable[[list[Statement]], None] | None = None,
    products: dict[int, Product] | None = None,
) -> list[Allocation]:
    """Reserve what is available of each request, possibly less than asked (a backorder waits for the rest).

    Requests whose key is in ``whole`` are served first and in full, or the call reserves nothing and raises
    OutOfStock naming what they are short of. Rows are locked as ``stock_reserve`` locks them (primary-key
    order), so partial and whole reservations of the same products queue behind each other. Like
    ``stock_reserve``, it writes only once it knows the answer, and needs no savepoint.

    ``later``: where the reservation's writes (the rows' new counts and their ledger rows, which nothing reads back
    in the meantime: the rows stay locked) may go to be sent with the caller's own final writes, on PostgreSQL
    (placement: ``order_writes_later``). A reservation that takes a row to its reorder point writes at once, as the
    low-stock alert reads the rows. ``products``: the requests' products as the caller holds them, by id (their
    sku, reorder point and whether they are for sale), so the lock builds no others.
    """
    requests = [r for r in requests if r.quantity > 0]
    if not requests:
        return []
    with transaction.atomic(savepoint=False):
        items = _lock_items({r.product_id for r in requests}, products)
        allocations, _ = _plan(sorted(requests, key=lambda r: r.key not in whole), items)
        got: dict[int, int] = defaultdict(int)
        for allocation in allocations:
            got[allocation.key] += allocation.quantity
        short: dict[int, int] = defaultdict(int)
        for request in requests:
            if request.key in whole and got[request.key] < request.quantity:
                short[request.product_id] += request.quantity - got[request.key]
        if not short:
            _book(allocations, items, reference=reference, actor=actor, later=later)
    if short:
        raise _out_of_stock(dict(short), items)
    return allocations


def stock_shortage(*, requests: list[StockRequest]) -> dict[int, int]:
    """What reserving ``requests`` in full would be short of, by product id (empty: it would succeed).

    Locks the rows as a reservation does and reserves nothing: a caller that goes on to reserve in the same
    transaction finds the same stock.
    """
    with transaction.atomic(savepoint=False):
        items = _lock_items({r.product_id for r in requests})
        return _plan(requests, items)[1]


def _out_of_stock(short: dict[int, int], items: list[StockItem]) -> OutOfStock:
    skus = {i.product_id: i.product.sku for i in items}
    return OutOfStock(
        "Not enough stock for " + ", ".join(f"{skus.get(p, p)} (short {q})" for p, q in short.items()),
        short=short,
    )


def _book(
    allocations: list[Allocation],
    items: list[StockItem],
    *,
    reference: str,
    actor: str,
    later: Callable[[list[Statement]], None] | None = None,
) -> None:
    """Write the planned reservations to the locked rows and the ledger (or hand the writes to ``later``)."""
    by_pk = {i.pk: i for i in items}
    totals: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        totals[allocation.stock_item_id] += allocation.quantity
    if not totals:
        return
    changed = []
    for pk, quantity in totals.items():
        item = by_pk[pk]
        item.reserved += quantity
        changed.append(item)
    # The rows are locked and read with product and warehouse: the low-stock rule (``stock_low_q``) is applied
    # in memory, so a reservation that leaves every row above its reorder point costs no query.
    low = [
        i.pk
        for i in changed
        if not i.low_stock_alerted
        and i.product.is_active
        and i.warehouse.is_active
        and i.on_hand - i.reserved <= i.product.reorder_point
    ]
    if later is not None and not low and transaction.get_connection().vendor == "postgresql":
        later(_reserved_add_sql(totals, reference=reference, actor=actor))
    else:
        _reserved_add(totals, changed, reference=reference, actor=actor)
    if low:
        stock_low_alert(stock_item_ids=low, fell=True)


def _reserved_add(totals: dict[int, int], changed: list[StockItem], *, reference: str, actor: str) -> None:
    """``reserved += quantity`` on each stock item and its RESERVE movement in the ledger, in one round trip
    (``UPDATE … FROM (VALUES …)`` and the movements' INSERT as the CTEs of one statement); the rows are locked by the
    caller, and ``changed`` are they with their new counts."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        StockItem.objects.bulk_update(changed, ["reserved"])
        StockMovement.objects.bulk_create(
            StockMovement(
                stock_item_id=pk, kind=StockMovement.Kind.RESERVE, reserved_delta=q, reference=reference, actor=actor
            )
            for pk, q in totals.items()
        )
        return
    deferred.run(_reserved_add_sql(totals, reference=reference, actor=actor))  # one statement, its CTEs


def _reserved_add_sql(totals: dict[int, int], *, reference: str, actor: str) -> list[Statement]:
    """``_reserved_add`` as two plain writes (the rows' UPDATE, the movements' INSERT) for another statement to
    carry as its CTEs (``oms.deferred``): independent of each other, each reading only the values it is given."""
    items, movements = StockItem._meta.db_table, StockMovement._meta.db_table
    values = ", ".join(["(%s::bigint, %s::integer)"] * len(totals))
    params = [value for pair in totals.items() for value in pair]
    update = (
        f"UPDATE {items} SET reserved = {items}.reserved + wanted.quantity "
        f"FROM (VALUES {values}) AS wanted (id, quantity) WHERE {items}.id = wanted.id"
    )
    insert = (
        f"INSERT INTO {movements} "
        "(stock_item_id, kind, on_hand_delta, reserved_delta, reference, reason, actor, created_at) "
        f"SELECT id, %s::varchar, 0, quantity, %s::varchar, '', %s::varchar, %s::timestamptz "
        f"FROM (VALUES {values}) AS wanted (id, quantity)"
    )
    kind = StockMovement.Kind.RESERVE
    return [(update, params), (insert, [kind, reference, actor, timezone.now(), *params])]
