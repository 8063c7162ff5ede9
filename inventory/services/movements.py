"""Stock that moves: released, shipped, adjusted, received, picked again, returned; each with its ledger row."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F

from inventory.exceptions import InvalidStockChange
from inventory.models import StockItem, StockMovement
from inventory.services.alerts import stock_arrived, stock_low_alert


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
