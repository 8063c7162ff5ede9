"""Quality control between packing and shipping, for orders whose products or warehouses require it.

Packing such an order keeps the parcels on a pending ``shipping.QualityCheck`` instead of shipping them; the
inspector's pass ships them as packed, a fail sends the failed lines back to picking (a ``repick`` movement
in the stock ledger) or holds the order with reason ``quality``.
"""

from django.db import transaction

from inventory.services import stock_repick_record
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import LineAllocation, Order, OrderStatus
from orders.services.common import event_record, order_lock, transition_apply
from orders.services.fulfillment import rate_unpacked
from orders.services.lifecycle import _ship
from shipping.models import QualityCheck
from shipping.selectors import quality_check_pending_for_order
from shipping.services import QcLineResult, QcPick, quality_check_needed, quality_check_parcels, quality_check_record

QC_PERMISSION = "shipping.perform_qc"


def order_qc_picks(order: Order) -> list[QcPick]:
    """What is left to ship of an order, pick by pick (the parts QC looks at)."""
    return [
        QcPick(
            warehouse_id=a.warehouse_id,
            stock_item_id=a.stock_item_id,
            sku=a.line.sku,
            name=a.line.name,
            quantity=a.quantity,
        )
        for a in LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False)
        .select_related("line")
        .order_by("warehouse_id", "line__sku", "pk")
    ]


def order_qc_required(order: Order) -> bool:
    """True when the order may not ship before a quality check passes."""
    return quality_check_needed(picks=order_qc_picks(order))


def order_quality_check(
    *, order_id: int, user, results: dict[int, QcLineResult], on_fail: str = "", notes: str = ""
) -> Order:
    """The inspector's verdict on a packed order: pass ships it as packed; fail re-picks or holds.

    403 without ``shipping.perform_qc``, 409 when no packing waits for a check; bad input (a line not
    checked, a serial not recorded, no choice for a fail) raises ``InvalidInput`` and writes nothing.
    """
    actor = getattr(user, "username", str(user))
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if not user.has_perm(QC_PERMISSION):
            raise TransitionForbidden("You do not have permission to perform quality checks.")
        check = quality_check_pending_for_order(order_id=order.pk)
        if order.status != OrderStatus.FULFILLING or check is None:
            raise TransitionNotAvailable(f"Order {order.number} has no packing waiting for a quality check.")
        check = quality_check_record(check=check, inspector=actor, results=results, on_fail=on_fail, notes=notes)
        lines = list(check.lines.all())
        if check.status == QualityCheck.Status.PASSED:
            event_record(order=order, actor=actor, note=f"Quality check passed ({len(lines)} line(s)).")
            packing = check.packing
            return _ship(
                order,
                actor=actor,
                reason=packing.get("reason", ""),
                parcels=quality_check_parcels(check),
                service=packing.get("service"),
                rate=rate_unpacked(packing),
            )
        failed = [line for line in lines if not line.passed]
        summary = "; ".join(f"{line.sku}: {_failure(line)}" for line in failed)
        if check.on_fail == QualityCheck.OnFail.REPICK:
            for line in failed:
                stock_repick_record(
                    stock_item_id=line.stock_item_id,
                    quantity=line.quantity,
                    reference=order.number,
                    reason=f"QC failed: {_failure(line)}"[:200],
                    actor=actor,
                )
            event_record(order=order, actor=actor, note=f"Quality check failed, back to picking: {summary}"[:2000])
            return order
        transition_apply(
            order, "hold_for_quality", actor=actor, note=f"Quality check failed: {summary}"[:2000], detail=summary
        )
        return order


def _failure(line) -> str:
    """Why a line failed, in the inspector's words: the checks not ticked, then their note."""
    missed = [c["name"] for c in line.checks if not c["passed"]]
    return ", ".join([*(f"not '{name}'" for name in missed), *([line.note] if line.note else [])]) or "failed"
