"""Goods coming back: receiving a return at a warehouse and inspecting it into the stock ledger.

Resellable units go back on hand through a ``return`` movement; damaged and defective ones are booked in and
written off at once (``write_off``), so the ledger shows them and no order can ever be given one.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inventory.models import Warehouse
from inventory.services import stock_return
from orders.models import OrderLine
from returns.exceptions import InvalidReturn
from returns.models import Condition, ReturnLine, ReturnRequest
from returns.services.common import (
    actor_of,
    field_of,
    line_error,
    positive_int,
    return_lock,
    return_notify,
    return_transition_apply,
    transition_check,
)

# The worse condition wins when one line's units were found in different states.
_CONDITION_RANK = {Condition.RESELLABLE: 0, Condition.DAMAGED: 1, Condition.DEFECTIVE: 2}


def return_receive(*, return_request: ReturnRequest, warehouse: Warehouse | str, user=None) -> ReturnRequest:
    """The parcel arrived at ``warehouse`` (a Warehouse or its code); the customer is told."""
    if not isinstance(warehouse, Warehouse):
        code = str(warehouse or "").strip()
        warehouse = Warehouse.objects.filter(code__iexact=code, is_active=True).first() if "\x00" not in code else None
        if warehouse is None:
            raise InvalidReturn(
                f"Unknown warehouse '{code}'.", fields={"warehouse": [f"No active warehouse '{code}'."]}
            )
    with transaction.atomic():
        order, locked = return_lock(return_request=return_request, nowait=user is not None)
        transition_check(locked, "receive")
        return_transition_apply(
            locked,
            "receive",
            order=order,
            actor=actor_of(user),
            note=f"At {warehouse.code}",
            warehouse=warehouse,
            at=timezone.now(),
        )
        return_notify(locked, "return_received")
    return locked


def return_inspect(*, return_request: ReturnRequest, lines: Iterable, user=None) -> ReturnRequest:
    """Record what was found, per line: [{sku, quantity, condition, notes}].

    Every line of the return must be inspected; one SKU may be split over several conditions. Resellable
    units go back on hand through a ``return`` movement; damaged and defective ones are booked in and written
    off at once (``write_off``), never available. Fewer units than announced: the line shrinks to what came
    and the rest may be returned again.
    """
    lines = list(lines or [])
    if not lines:
        raise InvalidReturn("Inspect at least one line.", fields={"lines": ["Name at least one line."]})
    found: list[dict] = []
    for index, item in enumerate(lines):
        sku = str(field_of(item, "sku", "") or "").strip()
        if not sku:
            raise line_error("lines", index, "sku", "This field is required.")
        quantity = positive_int(field_of(item, "quantity"))
        if quantity is None:
            raise line_error("lines", index, "quantity", "A whole number of at least 1.")
        condition = str(field_of(item, "condition", "") or "")
        if condition not in _CONDITION_RANK:
            raise line_error("lines", index, "condition", "Choose one of resellable, damaged, defective.")
        notes = str(field_of(item, "notes", "") or "")[:2000]
        found.append({"index": index, "sku": sku, "quantity": quantity, "condition": condition, "notes": notes})
    actor = actor_of(user)
    with transaction.atomic():
        order, locked = return_lock(return_request=return_request, nowait=user is not None)
        transition_check(locked, "inspect")
        return_lines = list(locked.lines.select_related("order_line__product").order_by("pk"))
        by_sku = {rl.order_line.sku.upper(): rl for rl in return_lines}
        per_line: dict[int, list[dict]] = {rl.pk: [] for rl in return_lines}
        for item in found:
            rl = by_sku.get(item["sku"].upper())
            if rl is None:
                raise line_error("lines", item["index"], "sku", f"{item['sku']} is not in this return.")
            per_line[rl.pk].append(item)
        for rl in return_lines:
            items = per_line[rl.pk]
            if not items:
                raise InvalidReturn(
                    f"{rl.order_line.sku} is not inspected.",
                    fields={"lines": [f"Inspect {rl.order_line.sku} as well."]},
                )
            total = sum(i["quantity"] for i in items)
            if total > rl.quantity:
                raise line_error(
                    "lines", items[-1]["index"], "quantity", f"Only {rl.quantity} of {rl.order_line.sku} were returned."
                )
        summary = []
        for rl in return_lines:
            summary.append(_inspect_line(rl, per_line[rl.pk], return_request=locked, actor=actor))
        return_transition_apply(locked, "inspect", order=order, actor=actor, note="; ".join(summary), at=timezone.now())
    return locked


def _inspect_line(rl: ReturnLine, items: list[dict], *, return_request: ReturnRequest, actor: str) -> str:
    warehouse_id = return_request.received_warehouse_id
    parts = []
    for item in items:
        stock_return(
            product_id=rl.order_line.product_id,
            warehouse_id=warehouse_id,
            quantity=item["quantity"],
            resellable=item["condition"] == Condition.RESELLABLE,
            reference=return_request.number,
            reason=f"return {item['condition']}"
            + ("" if item["condition"] == Condition.RESELLABLE else ", quarantined"),
            actor=actor,
        )
        parts.append(f"{item['quantity']} {item['condition']}")
    total = sum(i["quantity"] for i in items)
    missing = rl.quantity - total
    if missing:
        OrderLine.objects.filter(pk=rl.order_line_id).update(quantity_returned=F("quantity_returned") - missing)
        parts.append(f"{missing} not received")
        rl.quantity = total
    rl.condition = max((i["condition"] for i in items), key=lambda c: _CONDITION_RANK[c])
    notes = [i["notes"] for i in items if i["notes"]]
    if len(items) > 1 or missing:
        notes.insert(0, ", ".join(parts))
    rl.inspector_notes = "\n".join(notes)
    rl.save(update_fields=["quantity", "condition", "inspector_notes"])
    return f"{rl.order_line.sku}: {', '.join(parts)}"
