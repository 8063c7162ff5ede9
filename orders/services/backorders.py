"""Short stock without a person: partial reservation, preorders, and allocation when stock arrives.

An order whose stock is short either waits whole (held ``out_of_stock``, nothing reserved) or, when it may
ship in parts (``Order.ship_partial``), reserves what there is and backorders the rest
(``OrderLine.quantity_backordered``). A preorder (a product whose ``available_from`` is still ahead) is
backordered beyond stock without a hold, up to the product's ``preorder_limit`` units outstanding in all.

When units become available, ``inventory.services.stock_arrived`` queues ``backorders_allocate_task`` (named in
``OMS_STOCK_ARRIVED_TASKS``), which hands them to the waiting orders in priority order: express first (the
shipping method's priority), then the promised ship date, then age. Each order is served in a transaction of
its own that locks the order row, then the stock rows, as everywhere else; the stock rows' locks and the
database checks (reserved <= on hand, reserved + backordered <= ordered) keep two runs at once from giving a
unit twice.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from inventory.exceptions import OutOfStock
from inventory.models import Product, StockItem
from inventory.services import Allocation, StockRequest, stock_reserve_available, stock_shortage
from oms import deferred, outbox
from oms.models import Storefront
from orders.exceptions import InvalidOrder
from orders.models import CANCELLABLE, HoldReason, LineAllocation, Order, OrderLine, OrderStatus
from orders.services.common import SYSTEM, event_record, order_lock, order_writes_later
from shipping.models import ShippingMethod

# Orders still to be served: everything before shipping (held ones too), never cancelled or shipped.
OPEN_STATUSES = list(CANCELLABLE)


_UNREAD = object()


def order_ship_partial(*, requested: bool | None, storefront_id: int | None, storefront_choice=_UNREAD) -> bool:
    """Whether a new order may ship in parts: as asked, else its storefront's choice (``storefront_choice``, a
    bool or None, when the caller has read it already), else the setting."""
    if requested is not None:
        return requested
    if storefront_id is not None and storefront_choice is _UNREAD:
        storefront_choice = Storefront.objects.filter(pk=storefront_id).values_list("ship_partial", flat=True).first()
    if storefront_id is not None and storefront_choice is not None:
        return storefront_choice
    return settings.OMS_SHIP_PARTIAL_DEFAULT


def is_preorder(product: Product) -> bool:
    """Still before its release date: orders beyond stock are taken (up to its preorder limit)."""
    return product.available_from is not None and product.available_from > timezone.localdate()


# --- verification --------------------------------------------------------------------------------------
def order_stock_reserve(*, order: Order, lines: list[OrderLine], actor: str) -> str:
    """Reserve the locked order's stock at verification; returns the timeline note.

    An order that may ship in parts reserves what is there and backorders the rest; otherwise every line
    that is not a preorder is reserved in full or nothing is reserved: OutOfStock is raised and each line is
    marked backordered in full, so the API shows what waits. Preordered units beyond stock are backordered
    either way. ``lines`` need their products loaded.
    """
    requests = [
        StockRequest(line.pk, line.product_id, line.quantity - line.quantity_reserved)
        for line in lines
        if line.quantity > line.quantity_reserved
    ]
    whole = frozenset() if order.ship_partial else frozenset(x.pk for x in lines if not is_preorder(x.product))
    try:
        allocations = stock_reserve_available(
            requests=requests,
            reference=order.number,
            actor=actor,
            whole=whole,
            later=lambda statements: order_writes_later(order, statements),  # with the batch's writes, if one is open
            products={line.product_id: line.product for line in lines if OrderLine.product.is_cached(line)},
        )
    except OutOfStock:
        for line in lines:
            line.quantity_backordered = line.quantity - line.quantity_reserved
        if _stored(lines):
            OrderLine.objects.bulk_update(lines, ["quantity_backordered"])
        raise
    got = _reserved_by_line(allocations)
    for line in lines:
        line.quantity_reserved += got[line.pk]
        line.quantity_backordered = line.quantity - line.quantity_reserved
    _reservations_write(order, allocations, lines)
    waiting = [line for line in lines if line.quantity_backordered]
    if not waiting:
        return "Stock reserved"
    return "Stock reserved in part: " + "; ".join(
        f"{line.sku} {line.quantity_reserved} reserved, {line.quantity_backordered} backordered"
        + (" (preorder)" if is_preorder(line.product) else "")
        for line in waiting
    )


def _reserved_by_line(allocations: list[Allocation]) -> dict[int, int]:
    """The units each line got, by line id."""
    got: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        got[allocation.key] += allocation.quantity
    return got


def _allocation_rows(allocations: list[Allocation]) -> list[LineAllocation]:
    return [
        LineAllocation(line_id=a.key, stock_item_id=a.stock_item_id, warehouse_id=a.warehouse_id, quantity=a.quantity)
        for a in allocations
    ]


def _reservations_write(order: Order, allocations: list[Allocation], lines: list[OrderLine]) -> None:
    """Store the lines' allocations and their reserved and backordered counts: on PostgreSQL in one statement,
    sent with the order's own writes when a batch is open (placement). Lines not stored yet (a placement that
    inserts its rows at the end, see ``order_events_batched``) carry their counts in their INSERT."""
    with deferred.writes_deferred() as writes:
        if allocations:
            deferred.write(*deferred.insert_sql(_allocation_rows(allocations)))
        if _stored(lines):
            deferred.write(*deferred.update_many_sql(lines, ["quantity_reserved", "quantity_backordered"]))
    order_writes_later(order, writes)


def _stored(lines: list[OrderLine]) -> bool:
    """The lines are rows in the database already (not the new lines of a placement, inserted at its end)."""
    return not any(line._state.adding for line in lines)


# --- preorders at placement ----------------------------------------------------------------------------
def preorders_lock(*, lines: list[OrderLine]) -> None:
    """Lock the preordered products' rows until the placement commits (before any stock row, so the order
    of locks is always product, stock): two placements cannot both take a product's last preorder units."""
    ids = sorted({line.product_id for line in lines if is_preorder(line.product)})
    if ids:
        list(Product.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk").values_list("pk"))


def preorder_limits_check(*, order: Order, lines: list[OrderLine]) -> None:
    """Refuse (InvalidOrder naming the line) a placement whose backordered units of a preorder product would
    take its outstanding backorders, over all open orders, past the product's ``preorder_limit``."""
    preordered = [line for line in lines if line.quantity_backordered and is_preorder(line.product)]
    if not preordered:
        return
    deferred.release()  # a refusal rolls the placement's savepoint back: its writes must be in it
    outstanding = dict(
        OrderLine.objects.filter(
            product_id__in={line.product_id for line in preordered},
            order__status__in=OPEN_STATUSES,
            quantity_backordered__gt=0,
        )
        .exclude(order=order)
        .values("product_id")
        .annotate(total=Sum("quantity_backordered"))
        .values_list("product_id", "total")
        .order_by()
    )
    limits = dict(Product.objects.filter(pk__in={x.product_id for x in preordered}).values_list("pk", "preorder_limit"))
    errors = {}
    for index, line in enumerate(lines):
        if line not in preordered:
            continue
        left = max(limits[line.product_id] - outstanding.get(line.product_id, 0), 0)
        if line.quantity_backordered > left:
            errors[str(index)] = {"quantity": [f"'{line.sku}' is a preorder: only {left} left."]}
    if errors:
        raise InvalidOrder("The order is not valid.", fields={"lines": errors})


# --- allocation when stock arrives ---------------------------------------------------------------------
def order_backorders_queue(order: Order) -> None:
    """Queue the allocation of the order's backordered products, once it is released from a hold: what arrived
    meanwhile went to the orders going ahead, and it now takes its turn among those still waiting."""
    ids = sorted(set(order.lines.filter(quantity_backordered__gt=0).values_list("product_id", flat=True)))
    if ids:
        outbox.enqueue("orders.tasks.backorders_allocate_task", queue="orders", product_ids=ids)


def backorders_allocate(*, product_ids: Iterable[int]) -> int:
    """Give newly available units of ``product_ids`` to the orders waiting for them, in priority order.

    Safe to run twice and concurrently: each order is re-read under its lock and served from the stock rows
    under theirs. Returns how many orders got stock.
    """
    ids = sorted({int(p) for p in product_ids})
    served = 0
    for order_id in _waiting_order_ids(ids):
        if not _any_available(ids):
            break  # nothing of this arrival is left: later orders wait for the next one
        with transaction.atomic():
            served += _allocate(order_id=order_id)
    return served


def backorders_sweep() -> int:
    """Allocate every product that has units available and orders waiting for it; returns the orders served.

    The safety net of ``stock_arrived``: a task lost with the broker (Redis gone without persistence), or stock
    freed by a path that does not announce it, would otherwise leave orders waiting until the next arrival.
    Beat runs it every ``OMS_RECONCILE_EVERY_SECONDS``; with nothing to do it is one indexed query.
    """
    waiting = OrderLine.objects.filter(quantity_backordered__gt=0, order__status__in=OPEN_STATUSES).values("product_id")
    product_ids = set(
        StockItem.objects.filter(product_id__in=waiting, warehouse__is_active=True, on_hand__gt=F("reserved"))
        .values_list("product_id", flat=True)
        .distinct()
    )
    return backorders_allocate(product_ids=product_ids) if product_ids else 0


def _waiting_whole() -> Q:
    return Q(status=OrderStatus.ON_HOLD, hold_reason=HoldReason.OUT_OF_STOCK, held_from=OrderStatus.PLACED)


def _held_otherwise() -> Q:
    """On hold for another reason than stock (payment, credit, fraud review, staff): such an order takes no
    arriving stock until it is released (``order_backorders_queue``), so a doubtful order cannot take units
    that orders going ahead are waiting for."""
    return Q(status=OrderStatus.ON_HOLD) & ~Q(hold_reason=HoldReason.OUT_OF_STOCK)


def _waiting_order_ids(product_ids: list[int]) -> list[int]:
    """Orders waiting for any of the products: held out of stock (waiting whole), or open with backorders and
    not held for another reason; express first, then by promised ship date, then the oldest."""
    wanted = OrderLine.objects.filter(order=OuterRef("pk"), product_id__in=product_ids)
    methods = list(ShippingMethod.objects.values_list("code", "priority"))
    priority = Case(
        *(When(shipping_method=code, then=Value(rank)) for code, rank in methods),
        default=Value(1000),
        output_field=IntegerField(),
    )
    return list(
        Order.objects.filter(status__in=OPEN_STATUSES)
        .exclude(_held_otherwise())
        .filter(Exists(wanted.filter(quantity_backordered__gt=0)) | (_waiting_whole() & Exists(wanted)))
        .annotate(ship_priority=priority)
        .order_by("ship_priority", F("promised_ship_date").asc(nulls_last=True), "placed_at", "pk")
        .values_list("pk", flat=True)
    )


def _any_available(product_ids: list[int]) -> bool:
    return StockItem.objects.filter(
        product_id__in=product_ids, warehouse__is_active=True, on_hand__gt=F("reserved")
    ).exists()


def _allocate(*, order_id: int) -> int:
    """Serve one waiting order (in the caller's transaction): 1 if it got stock, else 0."""
    order = order_lock(order_id=order_id)
    lines = list(order.lines.select_related("product"))
    if order.status == OrderStatus.ON_HOLD and order.hold_reason == HoldReason.OUT_OF_STOCK:
        if order.held_from == OrderStatus.PLACED:
            return _release_when_complete(order, lines)
    if order.status not in OPEN_STATUSES or order.status == OrderStatus.ON_HOLD:
        return 0  # held for another reason since it was listed
    waiting = [line for line in lines if line.quantity_backordered]
    allocations = stock_reserve_available(
        requests=[StockRequest(line.pk, line.product_id, line.quantity_backordered) for line in waiting],
        reference=order.number,
        actor=SYSTEM,
    )
    if not allocations:
        return 0
    LineAllocation.objects.bulk_create(_allocation_rows(allocations))
    got = _reserved_by_line(allocations)
    served = [line for line in waiting if got[line.pk]]
    for line in served:
        OrderLine.objects.filter(pk=line.pk).update(
            quantity_reserved=F("quantity_reserved") + got[line.pk],
            quantity_backordered=F("quantity_backordered") - got[line.pk],
        )
    event_record(
        order=order,
        actor=SYSTEM,
        note="Backorder allocated: "
        + "; ".join(
            f"{line.sku} {got[line.pk]} reserved, {line.quantity_backordered - got[line.pk]} still backordered"
            for line in served
        ),
    )
    return 1


def _release_when_complete(order: Order, lines: list[OrderLine]) -> int:
    """An order waiting whole is released once all of it (but preordered units) can be reserved; verification
    then reserves it as a staff release would, and the automatic stages carry on from there."""
    # As a staff release does (lifecycle runs the pipeline, which imports this module: imported here).
    from orders.services.lifecycle import _release

    needed = [
        StockRequest(line.pk, line.product_id, line.quantity - line.quantity_reserved)
        for line in lines
        if line.quantity > line.quantity_reserved and not order.ship_partial and not is_preorder(line.product)
    ]
    if needed and stock_shortage(requests=needed):
        return 0
    _release(order, actor=SYSTEM, reason="Stock arrived: the whole order can be reserved")
    return 1
