"""The return's lifecycle: open, authorize (with the label), reject, close, cancel (receive and inspect:
``returns.services.inspection``).

Each use case is one transaction: it locks the order and the return (and the order lines whose returned
quantities change), takes the transition, moves stock, and writes the events on the return's timeline and
the order's. Emails and the label purchase leave through the outbox. Refund and exchange live in
``returns.services.resolution``.
"""

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inventory.models import Product
from oms import outbox
from orders.models import Order, OrderLine, OrderStatus
from orders.services.common import order_lock
from returns.exceptions import InvalidReturn, ReturnNotAllowed
from returns.models import (
    ExchangeLine,
    OpenedBy,
    Resolution,
    ReturnLine,
    ReturnRequest,
    ReturnStatus,
)
from returns.policy import return_policy
from returns.services.common import (
    actor_of,
    field_of,
    line_error,
    positive_int,
    return_event_record,
    return_finished,
    return_lock,
    return_notify,
    return_quantities_give_back,
    return_transition_apply,
    transition_check,
)
from shipping.carriers import carrier_get, ship_address, ship_from_address

RETURN_CARRIER = "demo"


# --- open ---------------------------------------------------------------------------------------------------
def return_request_create(
    *,
    order: Order,
    lines: Iterable,
    resolution: str = Resolution.REFUND,
    exchange_lines: Iterable = (),
    opened_by: str = OpenedBy.CUSTOMER,
    user=None,
) -> ReturnRequest:
    """Open a return on a delivered order within the return window.

    ``lines``: [{sku, quantity, reason, comment}] (mappings or objects with those attributes);
    ``exchange_lines``: [{sku, quantity}], only (and required) for an exchange. Refuses with 409
    (``ReturnNotAllowed``) when the order is not delivered or the window has passed, with 400
    (``InvalidReturn``, naming the line) for an unknown SKU or reason, a product that may not be returned or a
    quantity above what may still be returned (shipped minus already returned, across concurrent requests:
    the order lines are locked). A return whose every reason the policy authorizes at once is authorized.
    """
    policy = return_policy()
    lines, exchange_lines = list(lines or []), list(exchange_lines or [])
    if resolution not in Resolution.values:
        raise InvalidReturn(
            f"Unknown resolution '{resolution}'.",
            fields={"resolution": [f"Choose one of {', '.join(Resolution.values)}."]},
        )
    if opened_by not in OpenedBy.values:
        raise InvalidReturn("Unknown opener.", fields={"opened_by": [f"Choose one of {', '.join(OpenedBy.values)}."]})
    wanted = _parse_lines(lines, reasons=policy.reasons)
    replacements = _parse_exchange_lines(exchange_lines, resolution=resolution)
    actor = actor_of(user) if user is not None else ("customer" if opened_by == OpenedBy.CUSTOMER else "staff")
    with transaction.atomic():
        order = order_lock(order_id=order.pk)
        if order.status != OrderStatus.DELIVERED:
            raise ReturnNotAllowed(
                f"Order {order.number} is {order.get_status_display().lower()}: only delivered orders take returns."
            )
        if not policy.window_open(order.delivered_at):
            raise ReturnNotAllowed(
                f"The return window of order {order.number} ended {policy.window_ends(order.delivered_at):%d %b %Y}."
            )
        order_lines = list(
            OrderLine.objects.select_for_update().filter(order=order).select_related("product").order_by("pk")
        )
        plan = _plan(wanted, order_lines)
        value = sum((ol.unit_price * qty for ol, qty, _ in plan), Decimal(0))
        reasons = {w["reason"] for w in wanted}
        seq = ReturnRequest.objects.filter(order=order).count() + 1
        return_request = ReturnRequest.objects.create(
            number=f"R-{order.number}-{seq}",
            order=order,
            resolution=resolution,
            returnless=policy.returnless(reasons=reasons, value=value),
            currency=order.currency,
            shipping_paid_by=policy.shipping_paid_by(reasons),
            opened_by=opened_by,
            created_by=user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None,
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(
                return_request=return_request,
                order_line=ol,
                quantity=qty,
                reason=item["reason"],
                comment=item["comment"],
            )
            for ol, qty, item in plan
        )
        ExchangeLine.objects.bulk_create(
            ExchangeLine(return_request=return_request, product=p, sku=p.sku, quantity=q) for p, q in replacements
        )
        for ol, qty, _ in plan:
            ol.quantity_returned += qty
        OrderLine.objects.bulk_update([ol for ol, _, _ in plan], ["quantity_returned"])
        Order.objects.filter(pk=order.pk).update(returns_open=F("returns_open") + 1)
        summary = ", ".join(f"{qty} × {ol.sku} ({item['reason']})" for ol, qty, item in plan)
        kind = "exchange" if resolution == Resolution.EXCHANGE else "refund"
        note = f"{summary}; {kind}" + (", returnless" if return_request.returnless else "")
        return_event_record(
            return_request=return_request, order=order, actor=actor, to_status=ReturnStatus.REQUESTED, note=note
        )
        if policy.auto_authorized(reasons):
            _authorize(return_request, order=order, actor="system", note="Authorized by policy")
    return return_request


def _parse_lines(lines: list, *, reasons: tuple[str, ...]) -> list[dict]:
    if not lines:
        raise InvalidReturn("Name at least one line to return.", fields={"lines": ["Name at least one line."]})
    seen: set[str] = set()
    parsed = []
    for index, item in enumerate(lines):
        sku = str(field_of(item, "sku", "") or "").strip()
        if not sku:
            raise line_error("lines", index, "sku", "This field is required.")
        if sku.upper() in seen:
            raise line_error("lines", index, "sku", f"{sku} is listed twice: give it once with the total quantity.")
        seen.add(sku.upper())
        quantity = positive_int(field_of(item, "quantity"))
        if quantity is None:
            raise line_error("lines", index, "quantity", "A whole number of at least 1.")
        reason = str(field_of(item, "reason", "") or "")
        if reason not in reasons:
            raise line_error("lines", index, "reason", f"Choose one of {', '.join(reasons)}.")
        comment = str(field_of(item, "comment", "") or "")[:2000]
        parsed.append({"index": index, "sku": sku, "quantity": quantity, "reason": reason, "comment": comment})
    return parsed


def _parse_exchange_lines(exchange_lines: list, *, resolution: str) -> list[tuple[Product, int]]:
    if resolution != Resolution.EXCHANGE:
        if exchange_lines:
            raise InvalidReturn(
                "Replacement lines are for exchanges only.",
                fields={"exchange_lines": ["Only with resolution 'exchange'."]},
            )
        return []
    if not exchange_lines:
        raise InvalidReturn(
            "Say what the customer gets instead.", fields={"exchange_lines": ["Name at least one replacement line."]}
        )
    result = []
    for index, item in enumerate(exchange_lines):
        sku = str(field_of(item, "sku", "") or "").strip()
        product = Product.objects.filter(sku__iexact=sku, is_active=True).first() if sku and "\x00" not in sku else None
        if product is None:
            raise line_error("exchange_lines", index, "sku", f"Unknown SKU '{sku}'.")
        quantity = positive_int(field_of(item, "quantity"))
        if quantity is None:
            raise line_error("exchange_lines", index, "quantity", "A whole number of at least 1.")
        result.append((product, quantity))
    return result


def _plan(wanted: list[dict], order_lines: list[OrderLine]) -> list[tuple[OrderLine, int, dict]]:
    """Which order line gives how much to each wanted line; an order with one SKU on two lines fills the
    first line first."""
    plan = []
    for item in wanted:
        candidates = [ol for ol in order_lines if ol.sku.upper() == item["sku"].upper()]
        if not candidates:
            raise line_error("lines", item["index"], "sku", f"{item['sku']} is not on this order.")
        if not all(ol.product.returnable for ol in candidates):
            raise line_error("lines", item["index"], "sku", f"{item['sku']} cannot be returned.")
        left = item["quantity"]
        may = sum(ol.quantity_shipped - ol.quantity_returned for ol in candidates)
        if left > may:
            raise line_error(
                "lines", item["index"], "quantity", f"At most {may} of {item['sku']} may still be returned."
            )
        for ol in candidates:
            take = min(left, ol.quantity_shipped - ol.quantity_returned)
            if take > 0:
                plan.append((ol, take, item))
                left -= take
    return plan


# --- staff and system transitions ----------------------------------------------------------------------------
def _authorize(return_request: ReturnRequest, *, order: Order, actor: str, note: str = "") -> None:
    """Authorize a locked return; the label is bought after commit (no label for a returnless one, whose
    email goes out now)."""
    return_transition_apply(return_request, "authorize", order=order, actor=actor, note=note, at=timezone.now())
    if return_request.returnless:
        return_notify(return_request, "return_authorized")
    else:
        outbox.enqueue(
            "returns.tasks.create_return_label_task",
            queue="carriers",
            dedupe_key=f"return-label:{return_request.pk}",
            return_id=return_request.pk,
        )


def return_authorize(*, return_request: ReturnRequest, user=None) -> ReturnRequest:
    """Accept a requested return: the customer gets the return label by email (bought after commit)."""
    with transaction.atomic():
        order, locked = return_lock(return_request=return_request, nowait=user is not None)
        transition_check(locked, "authorize")
        _authorize(locked, order=order, actor=actor_of(user))
    return locked


def return_label_buy(*, return_id: int) -> ReturnRequest:
    """Buy the return label from the carrier and email it. Safe to run twice: the first label stays."""
    return_request = ReturnRequest.objects.select_related("order__shipping_address").get(pk=return_id)
    if return_request.label_tracking_number or return_request.returnless:
        return return_request
    weight = sum(
        (line.order_line.weight_kg * line.quantity for line in return_request.lines.select_related("order_line")),
        Decimal(0),
    )
    # Back to the shop, from where the goods were delivered.
    label = carrier_get(RETURN_CARRIER).buy_label(
        shipment_key=return_request.number,
        service="return",
        carrier_service="",
        weight_kg=weight,
        to_address=ship_from_address(),
        from_address=ship_address(return_request.order.shipping_address),
    )
    with transaction.atomic():
        order, locked = return_lock(return_request=return_id)
        if locked.label_tracking_number:
            return locked
        locked.label_carrier = RETURN_CARRIER
        locked.label_tracking_number = label.tracking_number
        locked.label = label.label
        locked.save(update_fields=["label_carrier", "label_tracking_number", "label", "updated_at"])
        return_event_record(
            return_request=locked, order=order, actor="system", note=f"Return label bought: {label.tracking_number}"
        )
        if locked.status == ReturnStatus.AUTHORIZED:
            return_notify(locked, "return_authorized")
    return locked


def return_labels_redrive(*, now=None) -> int:
    """Queue the label again for authorized returns still without one ``OMS_RECONCILE_AFTER_SECONDS`` after
    authorization (a lost task, a carrier that was down); returns how many. The task keeps a first label."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.OMS_RECONCILE_AFTER_SECONDS)
    waiting = ReturnRequest.objects.filter(
        status=ReturnStatus.AUTHORIZED, returnless=False, label_tracking_number="", authorized_at__lte=cutoff
    ).values_list("pk", flat=True)[:500]
    count = 0
    for return_id in waiting:
        with transaction.atomic():
            outbox.enqueue("returns.tasks.create_return_label_task", queue="carriers", return_id=return_id)
        count += 1
    return count


def return_reject(*, return_request: ReturnRequest, reason: str, user=None) -> ReturnRequest:
    """Refuse a requested return with a reason the customer is told; its quantities may be returned again."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReturn("Say why the return is rejected.", fields={"reason": ["Say why the return is rejected."]})
    with transaction.atomic():
        order, locked = return_lock(return_request=return_request, nowait=user is not None)
        transition_check(locked, "reject")
        return_transition_apply(
            locked, "reject", order=order, actor=actor_of(user), note=reason, reason=reason, at=timezone.now()
        )
        return_quantities_give_back(locked)
        return_finished(order)
        return_notify(locked, "return_rejected")
    return locked


def return_close(*, return_request: ReturnRequest, user=None) -> ReturnRequest:
    """Nothing more to do (refunded or replacement sent): the order may complete once no return is open."""
    with transaction.atomic():
        order, locked = return_lock(return_request=return_request, nowait=user is not None)
        transition_check(locked, "close")
        return_transition_apply(locked, "close", order=order, actor=actor_of(user), at=timezone.now())
        return_finished(order)
    return locked


def return_cancel(*, return_request: ReturnRequest, user=None, actor: str | None = None) -> ReturnRequest:
    """The customer withdraws the return before the goods arrive; its quantities may be returned again.

    ``actor`` names a caller that is not a user (``customer``, a storefront).
    """
    with transaction.atomic():
        order, locked = return_lock(return_request=return_request, nowait=True)
        if locked.status == ReturnStatus.CANCELLED:
            return locked
        transition_check(locked, "cancel")
        return_transition_apply(
            locked, "cancel", order=order, actor=actor or (actor_of(user) if user else "customer"), at=timezone.now()
        )
        return_quantities_give_back(locked)
        return_finished(order)
    return locked


__all__ = [
    "return_authorize",
    "return_cancel",
    "return_close",
    "return_label_buy",
    "return_labels_redrive",
    "return_reject",
    "return_request_create",
]
