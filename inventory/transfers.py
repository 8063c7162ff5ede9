"""Transfers between warehouses: draft → picked → shipped (in transit) → received, or cancelled before shipping.

Every step is one transaction through the ledger, referenced by the transfer's number (TR-YYYY-NNNNNN):

- pick: the units are reserved at the source (``transfer_pick``), so no order can take them any more;
- ship: they leave the source, on hand and reserved down (``transfer_out``); until received they are in transit;
- receive: they go on hand at the destination (``transfer_in``; the stock row is made if missing), all of them or
  the quantities counted per line (the shortfall stays on the line), and waiting orders hear of them
  (``stock_arrived``);
- cancel (draft or picked): a picked reservation is given back (``transfer_release``).

The transfer row is locked first, then its stock rows in primary-key order, as every stock use case does.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from inventory.exceptions import InvalidStockChange, OutOfStock
from inventory.models import (
    Product,
    StockItem,
    StockMovement,
    Transfer,
    TransferLine,
    TransferStatus,
    Warehouse,
)
from inventory.numbers import document_number_next
from inventory.services import stock_arrived, stock_low_alert
from oms.exceptions import ConflictError, NotFound

TRANSFER_FIELDS = ["status", "picked_at", "shipped_at", "received_at", "cancelled_at"]
MAX_UNITS = 1_000_000


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


@transaction.atomic
def transfer_create(
    *, from_warehouse_id: int, to_warehouse_id: int, lines: list[tuple[int, int]], notes: str = "", user=None
) -> Transfer:
    """A draft transfer of ``lines`` ((product id, quantity) pairs) from one warehouse to another. Nothing
    moves yet: picking reserves the units."""
    errors: dict[str, list[str]] = {}
    warehouses = Warehouse.objects.in_bulk([from_warehouse_id, to_warehouse_id])
    if from_warehouse_id not in warehouses:
        errors["from_warehouse"] = ["No such warehouse."]
    if to_warehouse_id not in warehouses or not warehouses[to_warehouse_id].is_active:
        errors["to_warehouse"] = ["Choose an active warehouse to send the goods to."]
    elif from_warehouse_id == to_warehouse_id:
        errors["to_warehouse"] = ["Choose a warehouse other than the one the goods leave."]
    products = Product.objects.in_bulk([product_id for product_id, _ in lines])
    line_errors, seen = [], set()
    for product_id, quantity in lines:
        product = products.get(product_id)
        if product is None:
            line_errors.append("No such product.")
        elif product_id in seen:
            line_errors.append(f"{product.sku} appears twice: put the whole quantity on one line.")
        elif not 0 < quantity <= MAX_UNITS:
            line_errors.append(f"{product.sku}: the quantity must be between 1 and {MAX_UNITS}.")
        seen.add(product_id)
    if not lines:
        line_errors.append("Add at least one product to transfer.")
    if line_errors:
        errors["lines"] = line_errors
    if errors:
        raise InvalidStockChange("The transfer cannot be created: " + " ".join(sum(errors.values(), [])), fields=errors)
    created = Transfer.objects.create(
        number=document_number_next(series="TR"),
        from_warehouse_id=from_warehouse_id,
        to_warehouse_id=to_warehouse_id,
        notes=notes.strip(),
        created_by=user,
    )
    TransferLine.objects.bulk_create(
        TransferLine(transfer=created, product_id=product_id, quantity=quantity) for product_id, quantity in lines
    )
    return created


def _lock(transfer_id: int, step, refused: str) -> Transfer:
    transfer = Transfer.objects.select_for_update(of=("self",)).select_related("from_warehouse", "to_warehouse")
    transfer = transfer.filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound("No such transfer.")
    if not can_proceed(getattr(transfer, step)):
        raise ConflictError(
            f"Transfer {transfer.number} is {transfer.get_status_display().lower()}: {refused}",
            code="transfer_wrong_state",
        )
    return transfer


def _lines(transfer: Transfer) -> list[TransferLine]:
    return list(transfer.lines.select_related("product").order_by("pk"))


def _lock_rows(warehouse_id: int, product_ids: Iterable[int]) -> dict[int, StockItem]:
    """The warehouse's stock rows of these products, locked in primary-key order, by product id."""
    rows = (
        StockItem.objects.select_for_update()
        .filter(warehouse_id=warehouse_id, product_id__in=set(product_ids))
        .order_by("pk")
    )
    return {row.product_id: row for row in rows}


def _write(changes: list[tuple[StockItem, int, int]], *, kind: str, transfer: Transfer, reason: str, actor: str):
    """Apply (row, on-hand delta, reserved delta) to locked rows and write their ledger movements."""
    for row, on_hand_delta, reserved_delta in changes:
        row.on_hand += on_hand_delta
        row.reserved += reserved_delta
    StockItem.objects.bulk_update([row for row, _, _ in changes], ["on_hand", "reserved"])
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item=row,
            kind=kind,
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            reference=transfer.number,
            reason=reason[:200],
            actor=actor[:150],
        )
        for row, on_hand_delta, reserved_delta in changes
    )


def _route(transfer: Transfer) -> str:
    return f"{transfer.from_warehouse.code} → {transfer.to_warehouse.code}"


@transaction.atomic
def transfer_pick(*, transfer_id: int, user=None) -> Transfer:
    """Reserve every line's units at the source, or none: refuses naming each SKU that is short and by how much."""
    transfer = _lock(transfer_id, "pick", "only a draft can be picked.")
    lines = _lines(transfer)
    rows = _lock_rows(transfer.from_warehouse_id, (line.product_id for line in lines))
    short = {}
    for line in lines:
        row = rows.get(line.product_id)
        available = row.available if row is not None else 0
        if available < line.quantity:
            short[line.product.sku] = line.quantity - available
    if short:
        raise OutOfStock(
            f"Not enough stock in {transfer.from_warehouse.code} for "
            + ", ".join(f"{sku} (short {units})" for sku, units in short.items())
            + ".",
            short=short,
        )
    changes = [(rows[line.product_id], 0, line.quantity) for line in lines]
    _write(
        changes,
        kind=StockMovement.Kind.TRANSFER_PICK,
        transfer=transfer,
        reason=f"Picked for transfer {_route(transfer)}",
        actor=_actor(user),
    )
    stock_low_alert(stock_item_ids=[row.pk for row, _, _ in changes], fell=True)
    transfer.pick(at=timezone.now())
    transfer.save(update_fields=TRANSFER_FIELDS)
    return transfer


@transaction.atomic
def transfer_ship(*, transfer_id: int, user=None) -> Transfer:
    """The picked units leave the source: on hand and reserved go down there, and they are in transit."""
    transfer = _lock(transfer_id, "ship", "only a picked transfer can be shipped.")
    lines = _lines(transfer)
    rows = _lock_rows(transfer.from_warehouse_id, (line.product_id for line in lines))
    _write(
        [(rows[line.product_id], -line.quantity, -line.quantity) for line in lines],
        kind=StockMovement.Kind.TRANSFER_OUT,
        transfer=transfer,
        reason=f"Shipped to {transfer.to_warehouse.code}",
        actor=_actor(user),
    )
    transfer.ship(at=timezone.now())
    transfer.save(update_fields=TRANSFER_FIELDS)
    return transfer


@transaction.atomic
def transfer_receive(*, transfer_id: int, quantities: dict[int, int] | None = None, user=None) -> Transfer:
    """The goods arrive: on hand goes up at the destination (its stock row made if it has none).

    ``quantities`` (line id → units that arrived) records a short receipt; a line left out arrived whole. The
    units missing stay recorded on their lines (``quantity_short``): they left the source and never arrived.
    """
    transfer = _lock(transfer_id, "receive", "only a transfer in transit can be received.")
    lines = _lines(transfer)
    quantities = dict(quantities or {})
    errors = []
    unknown = set(quantities) - {line.pk for line in lines}
    if unknown:
        errors.append("These lines are not on the transfer: " + ", ".join(map(str, sorted(unknown))) + ".")
    for line in lines:
        received = quantities.setdefault(line.pk, line.quantity)
        if not 0 <= received <= line.quantity:
            errors.append(f"{line.product.sku}: between 0 and the {line.quantity} shipped.")
    if errors:
        raise InvalidStockChange("The receipt cannot be booked: " + " ".join(errors), fields={"lines": errors})
    for line in lines:
        if quantities[line.pk]:
            StockItem.objects.get_or_create(product_id=line.product_id, warehouse_id=transfer.to_warehouse_id)
    rows = _lock_rows(transfer.to_warehouse_id, (line.product_id for line in lines if quantities[line.pk]))
    actor = _actor(user)
    changes = defaultdict(list)
    for line in lines:
        line.quantity_received = quantities[line.pk]
        if line.quantity_received:
            shortfall = line.quantity - line.quantity_received
            note = f", {shortfall} of {line.quantity} missing" if shortfall else ""
            changes[note].append((rows[line.product_id], line.quantity_received, 0))
    for note, group in changes.items():
        _write(
            group,
            kind=StockMovement.Kind.TRANSFER_IN,
            transfer=transfer,
            reason=f"Received from {transfer.from_warehouse.code}{note}",
            actor=actor,
        )
    TransferLine.objects.bulk_update(lines, ["quantity_received"])
    arrived = [row for group in changes.values() for row, _, _ in group]
    stock_arrived(product_ids={row.product_id for row in arrived})
    stock_low_alert(stock_item_ids=[row.pk for row in arrived], fell=False)
    transfer.receive(at=timezone.now())
    transfer.save(update_fields=TRANSFER_FIELDS)
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer_id: int, user=None) -> Transfer:
    """Call the transfer off before it ships; the units a pick reserved are free for orders again."""
    transfer = _lock(transfer_id, "cancel", "only a draft or picked transfer can be cancelled.")
    if transfer.status == TransferStatus.PICKED:
        lines = _lines(transfer)
        rows = _lock_rows(transfer.from_warehouse_id, (line.product_id for line in lines))
        changes = [(rows[line.product_id], 0, -line.quantity) for line in lines]
        _write(
            changes,
            kind=StockMovement.Kind.TRANSFER_RELEASE,
            transfer=transfer,
            reason="Transfer cancelled",
            actor=_actor(user),
        )
        stock_arrived(product_ids={line.product_id for line in lines})
        stock_low_alert(stock_item_ids=[row.pk for row, _, _ in changes], fell=False)
    transfer.cancel(at=timezone.now())
    transfer.save(update_fields=TRANSFER_FIELDS)
    return transfer
