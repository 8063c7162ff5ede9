"""Claims: a parcel the carrier lost or damaged, or a carrier exception, settled without waiting for goods.

Staff either reship (a replacement order at no charge, placed and fulfilled like any other) or refund the
lines (unit price and its share of tax, to the original payment as a return's refund goes). Both are written
on the order's timeline with the staff note.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction

from oms.exceptions import ConflictError, InvalidInput
from oms.money import ZERO
from orders.models import Order, OrderStatus
from orders.services.common import event_record, order_lock
from payments.models import Refund
from returns.services.common import actor_of
from returns.services.resolution import line_refund, order_money_back, permission_check, replacement_place

# A claim is about goods that left the warehouse.
CLAIMABLE = (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.DELIVERED, OrderStatus.COMPLETED)
NOTE_MAX_LENGTH = 500


def _claimed_lines(order: Order, lines: Iterable) -> list[tuple]:
    """(order line, quantity) for each ``{"sku", "quantity"}`` (or (sku, quantity) pair) given; InvalidInput
    naming ``lines`` when a SKU is not on the order or a quantity is not 1 to what was shipped of it."""
    by_sku = {line.sku: line for line in order.lines.all()}
    errors, claimed, seen = {}, [], set()
    for index, item in enumerate(lines or []):
        sku, quantity = (item.get("sku"), item.get("quantity")) if isinstance(item, Mapping) else tuple(item)
        line = by_sku.get(sku)
        if line is None or sku in seen:
            errors[str(index)] = {"sku": [f"'{sku}' is not a line of order {order.number} (or appears twice)."]}
        elif isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= line.quantity_shipped:
            errors[str(index)] = {"quantity": [f"Must be between 1 and the {line.quantity_shipped} shipped."]}
        else:
            claimed.append((line, quantity))
        seen.add(sku)
    if not claimed and not errors:
        errors = ["Name at least one line."]
    if errors:
        raise InvalidInput("The claim is not valid.", code="invalid_claim", fields={"lines": errors})
    return claimed


def _claim_check(order: Order, note: str) -> str:
    if order.status not in CLAIMABLE:
        raise ConflictError(
            f"Order {order.number} is {order.get_status_display().lower()}: only shipped goods can be claimed.",
            code="claim_not_allowed",
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = f"At most {NOTE_MAX_LENGTH} characters."
        raise InvalidInput(message, code="invalid_claim", fields={"note": [message]})
    return note


def claim_reship(*, order: Order, lines: Iterable, user, note: str = "") -> Order:
    """Send the claimed lines again at no charge: a replacement order (stock reserved, the usual pipeline)
    linked to ``order`` on both timelines. Returns the replacement. Needs ``returns.open_return``."""
    permission_check(user, "returns.open_return", "reship claims")
    actor = actor_of(user)
    with transaction.atomic():
        order = order_lock(order_id=order.pk, nowait=user is not None)
        note = _claim_check(order, note)
        claimed = _claimed_lines(order, lines)
        replacement = replacement_place(
            order,
            lines=[(line.sku, quantity) for line, quantity in claimed],
            charge=ZERO,
            actor=actor,
            note=f"Replacement (claim) for order {order.number}",
        )
        what = ", ".join(f"{quantity} × {line.sku}" for line, quantity in claimed)
        event_record(
            order=order,
            actor=actor,
            note=f"Claim: reshipped {what} at no charge as order {replacement.number}" + (f". {note}" if note else ""),
        )
    return replacement


def claim_refund(*, order: Order, lines: Iterable, user, note: str = "", key: str = "") -> Decimal:
    """Refund the claimed lines without the goods coming back (unit price and its share of tax, to the original
    payment), on the order's timeline; returns the amount. ``key`` makes a retry refund once (default: the order's next
    claim number). Needs ``returns.refund_return``."""
    permission_check(user, "returns.refund_return", "refund claims")
    actor = actor_of(user)
    with transaction.atomic():
        order = order_lock(order_id=order.pk, nowait=user is not None)
        note = _claim_check(order, note)
        claimed = _claimed_lines(order, lines)
        amount = sum((sum(line_refund(order, unit_price=line.unit_price, quantity=q)) for line, q in claimed), ZERO)
        what = ", ".join(f"{quantity} × {line.sku}" for line, quantity in claimed)
        if not key:
            earlier = Refund.objects.filter(payment__order=order, key__startswith=f"claim-{order.pk}-").count()
            key = f"claim-{order.pk}-{earlier + 1}"
        money = order_money_back(order, amount=amount, reason=f"Claim: {what}", key=key, actor=actor)
        event_record(order=order, actor=actor, note=f"Claim: {what} {money}" + (f". {note}" if note else ""))
    return amount
