"""Stock use cases. Every change goes through the ledger and happens under row locks.

Rows are always locked in primary-key order, so two reservations touching the same products queue up
behind each other instead of deadlocking.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inventory.exceptions import InvalidStockChange, OutOfStock
from inventory.models import Product, StockItem, StockMovement, Warehouse, stock_low_q
from oms import outbox


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


def _lock_items(product_ids: set[int]) -> list[StockItem]:
    return list(
        StockItem.objects.select_for_update(of=("self",))
        .select_related("warehouse", "product")
        .filter(product_id__in=product_ids, warehouse__is_active=True)
        .order_by("pk")
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
    *, requests: list[StockRequest], reference: str, actor: str = "", whole: frozenset[int] = frozenset()
) -> list[Allocation]:
    """Reserve what is available of each request, possibly less than asked (a backorder waits for the rest).

    Requests whose key is in ``whole`` are served first and in full, or the call reserves nothing and raises
    OutOfStock naming what they are short of. Rows are locked as ``stock_reserve`` locks them (primary-key
    order), so partial and whole reservations of the same products queue behind each other. Like
    ``stock_reserve``, it writes only once it knows the answer, and needs no savepoint.
    """
    requests = [r for r in requests if r.quantity > 0]
    if not requests:
        return []
    with transaction.atomic(savepoint=False):
        items = _lock_items({r.product_id for r in requests})
        allocations, _ = _plan(sorted(requests, key=lambda r: r.key not in whole), items)
        got: dict[int, int] = defaultdict(int)
        for allocation in allocations:
            got[allocation.key] += allocation.quantity
        short: dict[int, int] = defaultdict(int)
        for request in requests:
            if request.key in whole and got[request.key] < request.quantity:
                short[request.product_id] += request.quantity - got[request.key]
        if not short:
            _book(allocations, items, reference=reference, actor=actor)
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


def _book(allocations: list[Allocation], items: list[StockItem], *, reference: str, actor: str) -> None:
    """Write the planned reservations to the locked rows and the ledger."""
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
    _reserved_add(totals, changed, reference=reference, actor=actor)
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
    if low:
        stock_low_alert(stock_item_ids=low, fell=True)


def _reserved_add(totals: dict[int, int], changed: list[StockItem], *, reference: str, actor: str) -> None:
    """``reserved += quantity`` on each stock item and its RESERVE movement in the ledger, in one round trip
    (``UPDATE … FROM (VALUES …)`` with the movements' INSERT as a CTE); the rows are locked by the caller, and
    ``changed`` are they with their new counts."""
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
    items, movements = StockItem._meta.db_table, StockMovement._meta.db_table
    values = ", ".join(["(%s::bigint, %s::integer)"] * len(totals))
    params = [value for pair in totals.items() for value in pair]
    sql = (
        f"WITH wanted (id, quantity) AS (VALUES {values}), "
        f"moved AS (INSERT INTO {movements} "
        "(stock_item_id, kind, on_hand_delta, reserved_delta, reference, reason, actor, created_at) "
        "SELECT id, %s, 0, quantity, %s, '', %s, %s FROM wanted) "
        f"UPDATE {items} SET reserved = {items}.reserved + wanted.quantity FROM wanted WHERE {items}.id = wanted.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, StockMovement.Kind.RESERVE, reference, actor, timezone.now()])


def stock_arrived(*, product_ids) -> None:
    """Units of these products became available (received, returned, counted up, released by an order):
    queue the tasks named in ``OMS_STOCK_ARRIVED_TASKS`` (each gets ``product_ids``) through the outbox, so
    they run after this transaction commits and survive a broker outage. Waiting orders are allocated that
    way without inventory knowing about orders."""
    ids = sorted({int(p) for p in product_ids})
    if not ids:
        return
    for task_name in settings.OMS_STOCK_ARRIVED_TASKS:
        outbox.enqueue(task_name, queue="inventory", product_ids=ids)


def stock_low_alert(*, stock_item_ids, fell: bool) -> None:
    """Keep the low-stock alert to one per dip, after the stock rows ``stock_item_ids`` changed (the caller
    holds their locks and has written the change).

    ``fell``: their available units went down (a reservation, an adjustment or write-off, a transfer pick, a
    count below the shelf figure). A row that is low now (``stock_low_q``, the rule the low-stock page uses)
    and not yet alerted is flagged and its alert queued. Otherwise they rose: a row above its reorder point
    again is re-armed, so the next dip alerts once more; a rise that leaves a row low keeps it flagged. One
    query when nothing crosses (a reservation is on the hot path of order placement).
    """
    ids = sorted(set(stock_item_ids))
    if not ids:
        return
    if not fell:
        StockItem.objects.filter(pk__in=ids, low_stock_alerted=True).exclude(stock_low_q()).update(
            low_stock_alerted=False
        )
        return
    crossed = list(
        StockItem.objects.filter(
            stock_low_q(), pk__in=ids, low_stock_alerted=False, product__is_active=True, warehouse__is_active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not crossed:
        return
    StockItem.objects.filter(pk__in=crossed).update(low_stock_alerted=True)
    for pk in crossed:
        outbox.enqueue("inventory.tasks.send_low_stock_alert_task", queue="inventory", stock_item_id=pk)


@transaction.atomic
def stock_release(*, allocations: list[tuple[int, int]], reference: str, reason: str = "", actor: str = "") -> None:
    """Give reserved units back: ``allocations`` are (stock_item_id, quantity) pairs."""
    _apply(
        allocations,
        kind=StockMovement.Kind.RELEASE,
        on_hand_sign=0,
        reserved_sign=-1,
        reference=reference,
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def stock_ship(*, allocations: list[tuple[int, int]], reference: str, actor: str = "") -> None:
    """Units leave the building: on hand and reserved both go down."""
    _apply(
        allocations,
        kind=StockMovement.Kind.SHIP,
        on_hand_sign=-1,
        reserved_sign=-1,
        reference=reference,
        reason="shipped",
        actor=actor,
    )


def _apply(allocations, *, kind, on_hand_sign, reserved_sign, reference, reason, actor) -> None:
    totals: dict[int, int] = defaultdict(int)
    for stock_item_id, quantity in allocations:
        if quantity > 0:
            totals[stock_item_id] += quantity
    if not totals:
        return
    items = {i.pk: i for i in StockItem.objects.select_for_update().filter(pk__in=totals).order_by("pk")}
    for pk, quantity in totals.items():
        items[pk].on_hand += on_hand_sign * quantity
        items[pk].reserved += reserved_sign * quantity
    StockItem.objects.bulk_update(items.values(), ["on_hand", "reserved"])
    if on_hand_sign - reserved_sign > 0:  # more available than before: a release, or units coming in
        stock_arrived(product_ids={item.product_id for item in items.values()})
    if on_hand_sign != reserved_sign:
        stock_low_alert(stock_item_ids=items, fell=on_hand_sign < reserved_sign)
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item_id=pk,
            kind=kind,
            on_hand_delta=on_hand_sign * q,
            reserved_delta=reserved_sign * q,
            reference=reference,
            reason=reason,
            actor=actor,
        )
        for pk, q in totals.items()
    )


@transaction.atomic
def stock_adjust(
    *, stock_item_id: int, delta: int, reason: str, actor: str = "", kind: str = StockMovement.Kind.ADJUSTMENT
) -> StockItem:
    """Correct or receive on-hand stock. Refuses to go below what is reserved."""
    if not reason.strip():
        raise InvalidStockChange(
            "A reason is required for every stock change.", fields={"reason": ["Say why the stock changes."]}
        )
    item = StockItem.objects.select_for_update().get(pk=stock_item_id)
    if item.on_hand + delta < item.reserved:
        # Say how far it can go: "below the 0 units reserved" puzzled people removing more than there was.
        most = max(item.on_hand - item.reserved, 0)
        held = f", {item.reserved} of them reserved for orders" if item.reserved else ""
        message = f"At most {most} can be removed: {item.on_hand} on hand{held}."
        raise InvalidStockChange(message, fields={"delta": [message]})
    StockItem.objects.filter(pk=item.pk).update(on_hand=F("on_hand") + delta)
    StockMovement.objects.create(stock_item=item, kind=kind, on_hand_delta=delta, reason=reason, actor=actor)
    if delta > 0:
        stock_arrived(product_ids=[item.product_id])
    stock_low_alert(stock_item_ids=[item.pk], fell=delta < 0)
    item.refresh_from_db()
    return item


def stock_receive(*, stock_item_id: int, quantity: int, reason: str, actor: str = "") -> StockItem:
    if quantity <= 0:
        raise InvalidStockChange(
            "A goods receipt must add at least one unit.", fields={"quantity": ["Must be at least 1."]}
        )
    return stock_adjust(
        stock_item_id=stock_item_id, delta=quantity, reason=reason, actor=actor, kind=StockMovement.Kind.RECEIPT
    )


BIN_MAX = StockItem._meta.get_field("bin_location").max_length


def _bin(value: str) -> str:
    value = (value or "").strip()
    if len(value) > BIN_MAX:
        raise InvalidStockChange("Bin location too long.", fields={"bin_location": [f"At most {BIN_MAX} characters."]})
    return value


@transaction.atomic
def stock_receive_into(
    *, product_id: int, warehouse_id: int, quantity: int, reason: str, bin_location: str = "", actor: str = ""
) -> tuple[StockItem, bool]:
    """Book a goods receipt of a product into a warehouse, creating its stock row if the warehouse does not
    stock the product yet. Returns (the stock row, whether it was created).

    The row and the receipt movement are written in one transaction, so a new row never exists without the
    movement that explains its stock. Two receipts into the same new warehouse at once end in one row: the
    second insert waits on the unique (product, warehouse) index, fails, and ``get_or_create`` picks up the
    row the first committed. ``bin_location`` applies to a new row; an existing row keeps its bin (moved with
    ``stock_item_bin_set``), and naming a different one is refused rather than silently ignored.
    """
    if quantity <= 0:
        raise InvalidStockChange(
            "A goods receipt must add at least one unit.", fields={"quantity": ["Must be at least 1."]}
        )
    if not reason.strip():
        raise InvalidStockChange(
            "A reason is required for every stock change.", fields={"reason": ["Say why the stock changes."]}
        )
    bin_location = _bin(bin_location)
    if not Product.objects.filter(pk=product_id).exists():
        raise InvalidStockChange("No such product.", fields={"product": ["No such product."]})
    item = StockItem.objects.filter(product_id=product_id, warehouse_id=warehouse_id).first()
    if item is None and not Warehouse.objects.filter(pk=warehouse_id, is_active=True).exists():
        message = "Receive only into an active warehouse."
        raise InvalidStockChange(message, fields={"warehouse": [message]})
    item, created = StockItem.objects.get_or_create(
        product_id=product_id, warehouse_id=warehouse_id, defaults={"bin_location": bin_location}
    )
    if not created and bin_location and bin_location != item.bin_location:
        current = f"bin {item.bin_location}" if item.bin_location else "no bin yet"
        message = f"This warehouse already stocks the product ({current}): change the bin on the stock row."
        raise InvalidStockChange(message, fields={"bin_location": [message]})
    item = stock_adjust(
        stock_item_id=item.pk, delta=quantity, reason=reason, actor=actor, kind=StockMovement.Kind.RECEIPT
    )
    return item, created


@dataclass(frozen=True)
class ReceiptLine:
    sku: str
    quantity: int
    on_hand: int  # the warehouse's stock row once the receipt is booked
    available: int


@transaction.atomic
def stock_receipt_book(
    *, warehouse_code: str, reference: str, lines: list[tuple[str, int]], actor: str = ""
) -> tuple[Warehouse, list[ReceiptLine]]:
    """Book a delivery of several products into one warehouse: all lines or none (InvalidStockChange naming
    the bad field or line, nothing written).

    Each line is a ``receipt`` movement carrying ``reference`` (the delivery note, the purchase order); a
    product the warehouse did not stock yet gets its stock row. The rows are locked in primary-key order, as a
    reservation locks them, and the units arriving are announced (``stock_arrived``) so waiting orders get them.
    """
    errors: dict = {}
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        errors["warehouse"] = [f"Unknown or inactive warehouse '{warehouse_code}'."]
    if not reference.strip():
        errors["reference"] = ["Say which delivery this is, e.g. the delivery note or purchase order number."]
    products = {p.sku: p for p in Product.objects.filter(sku__in=[sku for sku, _ in lines])}
    line_errors: dict = {}
    seen: set[str] = set()
    for index, (sku, quantity) in enumerate(lines):
        problems = {}
        if sku not in products:
            problems["sku"] = [f"Unknown SKU '{sku}'."]
        elif sku in seen:
            problems["sku"] = [f"'{sku}' appears twice; put the whole quantity on one line."]
        if quantity < 1:
            problems["quantity"] = ["Must be at least 1."]
        seen.add(sku)
        if problems:
            line_errors[str(index)] = problems
    if not lines:
        errors["lines"] = ["At least one line is required."]
    elif line_errors:
        errors["lines"] = line_errors
    if errors:
        raise InvalidStockChange("The goods receipt is not valid.", fields=errors)

    quantities = {products[sku].pk: quantity for sku, quantity in lines}
    locked = StockItem.objects.select_for_update(of=("self",)).filter(warehouse=warehouse, product_id__in=quantities)
    items = {i.product_id: i for i in locked.order_by("pk")}
    missing = [pk for pk in quantities if pk not in items]
    if missing:
        # A concurrent receipt may create the same row: the unique index makes this insert wait, then skip it.
        StockItem.objects.bulk_create(
            [StockItem(product_id=pk, warehouse=warehouse) for pk in missing], ignore_conflicts=True
        )
        items = {i.product_id: i for i in locked.order_by("pk")}
    for product_id, quantity in quantities.items():
        item = items[product_id]
        item.on_hand += quantity
        item.low_stock_alerted = False
    StockItem.objects.bulk_update(items.values(), ["on_hand", "low_stock_alerted"])
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item=items[pk],
            kind=StockMovement.Kind.RECEIPT,
            on_hand_delta=quantity,
            reference=reference[:100],
            reason="Goods receipt",
            actor=actor[:150],
        )
        for pk, quantity in quantities.items()
    )
    stock_arrived(product_ids=quantities)
    booked = [
        ReceiptLine(sku, quantity, items[products[sku].pk].on_hand, items[products[sku].pk].available)
        for sku, quantity in lines
    ]
    return warehouse, booked


@transaction.atomic
def stock_item_bin_set(*, stock_item_id: int, bin_location: str, user) -> StockItem:
    """Move a stock row to another bin (or clear it). Quantities do not change, so the ledger gets no
    movement; the move is recorded in the admin log (who, from, to), shown on the stock ledger page."""
    bin_location = _bin(bin_location)
    locked = StockItem.objects.select_for_update(of=("self",)).select_related("warehouse")
    item = locked.filter(pk=stock_item_id).first()
    if item is None:
        raise InvalidStockChange("No such stock row.", fields={"stock_item": ["No such stock row."]})
    if item.bin_location == bin_location:
        return item
    old = item.bin_location
    item.bin_location = bin_location
    item.save(update_fields=["bin_location"])
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(StockItem),
        object_id=str(item.pk),
        object_repr=str(item)[:200],
        action_flag=CHANGE,
        change_message=f"{item.warehouse.code}: bin {old or '(none)'} → {bin_location or '(none)'}",
    )
    return item


def stock_repick_record(*, stock_item_id: int, quantity: int, reference: str, reason: str, actor: str = "") -> None:
    """A packed unit failed its quality check and is picked again: the ledger says so (counts do not change,
    the units stay reserved for the order)."""
    StockMovement.objects.create(
        stock_item_id=stock_item_id,
        kind=StockMovement.Kind.REPICK,
        reference=reference,
        reason=f"{reason} ({quantity} unit(s))"[:200],
        actor=actor,
    )


@transaction.atomic
def stock_return(
    *, product_id: int, warehouse_id: int, quantity: int, resellable: bool, reference: str, reason: str, actor: str = ""
) -> StockItem:
    """Book goods a customer sent back into a warehouse: a ``return`` movement adds them to on hand.

    Goods not fit for sale (damaged, defective) come in and are written off at once by a ``write_off``
    movement, so the ledger shows both and none of them is ever available to an order. The stock row is
    made if the warehouse did not stock the product yet.
    """
    if quantity <= 0:
        raise InvalidStockChange(
            "A return must bring back at least one unit.", fields={"quantity": ["Must be at least 1."]}
        )
    item, _ = StockItem.objects.get_or_create(product_id=product_id, warehouse_id=warehouse_id)
    item = StockItem.objects.select_for_update().get(pk=item.pk)
    movements = [StockMovement(stock_item=item, kind=StockMovement.Kind.RETURN, on_hand_delta=quantity)]
    if not resellable:
        movements.append(StockMovement(stock_item=item, kind=StockMovement.Kind.WRITE_OFF, on_hand_delta=-quantity))
    else:
        StockItem.objects.filter(pk=item.pk).update(on_hand=F("on_hand") + quantity)
        stock_arrived(product_ids=[product_id])
        stock_low_alert(stock_item_ids=[item.pk], fell=False)
    for movement in movements:
        movement.reference, movement.reason, movement.actor = reference[:100], reason[:200], actor[:150]
    StockMovement.objects.bulk_create(movements)
    item.refresh_from_db()
    return item
