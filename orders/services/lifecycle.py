"""Transitions people take (staff, storefronts, customers) and the consequences of carrier events."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string

from inventory.services import stock_release, stock_ship
from oms import outbox
from oms.exceptions import InvalidInput
from orders.exceptions import TooLateToCancel, TransitionForbidden, TransitionNotAvailable, UnknownTransition
from orders.models import HoldReason, LineAllocation, Order, OrderLine, OrderStatus, RiskStatus
from orders.services.backorders import order_backorders_queue
from orders.services.common import (
    PAYMENT_SUMMARY_FIELDS,
    SYSTEM,
    event_record,
    notify,
    order_lock,
    payment_summary_sync,
    transition_apply,
)
from orders.services.notifications import order_hold_notify
from orders.services.pipeline import auto_stages_run, order_promise_renew
from orders.services.shipments import (
    order_capture_payment_in_parts,
    order_shipments,
    order_shipped_in_parts,
    partial_shipped_kind,
    shipment_sent_early,
    shipped_now_by_line,
)
from payments.services import payment_cancel, payment_capture, payment_record_funds
from shipping.models import Shipment
from shipping.selectors import carrier_for_method, carrier_name
from shipping.services import (
    Parcel,
    RateOption,
    shipment_cancel,
    shipment_create_label,
    shipments_create,
    tracking_event_record,
)

# Transitions a person may take, by name; the automatic ones are not in this list.
MANUAL_TRANSITIONS = ("mark_paid", "start_fulfillment", "ship", "complete", "cancel", "hold", "release")


def transitions_available(*, order: Order, user) -> list[dict]:
    """The transitions ``user`` may take on ``order`` right now: [{name, target}]."""
    result = []
    for t in order.get_available_user_status_transitions(user):
        if t.name not in MANUAL_TRANSITIONS or (t.name == "release" and not _may_release(order, user)):
            continue
        target = t.target
        if t.name == "release":
            target = order.held_from
        result.append({"name": t.name, "target": str(target)})
    return result


def order_transition(*, order_id: int, name: str, user, reason: str = "", hold_reason: str | None = None) -> Order:
    """Take the manual transition ``name`` as ``user``: 404 unknown, 403 not permitted, 409 not now.

    ``reason`` is the note for the timeline; ``hold_reason`` classifies a hold (one of HoldReason).
    """
    if name not in MANUAL_TRANSITIONS:
        raise UnknownTransition(f"Unknown transition '{name}'. Known: {', '.join(MANUAL_TRANSITIONS)}.")
    actor = getattr(user, "username", str(user))
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        method = getattr(order, name)
        transition = method._django_fsm.get_transition(order.status)
        permission = (transition or next(iter(method._django_fsm.transitions.values()))).permission
        if permission and not user.has_perm(permission):
            raise TransitionForbidden(f"You do not have permission to {name.replace('_', ' ')} orders.")
        if name == "start_fulfillment" and transition is not None:
            _waits_whole_check(order)
        if transition is None or not method._django_fsm.conditions_met(order, order.status):
            raise TransitionNotAvailable(
                f"Cannot {name.replace('_', ' ')} an order that is {order.get_status_display().lower()}."
            )
        if name == "ship" and _qc_required(order):
            raise TransitionNotAvailable(
                f"Order {order.number} needs a quality check before it ships: pack it on the pack page."
            )
        if name == "release" and order.risk_status == RiskStatus.REVIEW:
            _fraud_release_check(order, user)
        if name == "hold":  # the one transition whose reason is classified as well as told
            return _hold(order, actor=actor, reason=reason, code=hold_reason)
        return _HANDLERS[name](order, actor=actor, reason=reason)


def _waits_whole_check(order: Order) -> None:
    """An order that may not ship in parts starts fulfillment only once every unit is in stock."""
    backordered = order.lines.aggregate(n=Sum("quantity_backordered"))["n"] or 0
    if backordered and not order.ship_partial:
        raise TransitionNotAvailable(
            f"Order {order.number} waits whole: {backordered} unit(s) are backordered and it may not ship in "
            "parts. Fulfillment starts once they are in stock."
        )


def _qc_required(order: Order) -> bool:
    from orders.services.quality import order_qc_required  # quality ships through this module's _ship

    return order_qc_required(order)


def _may_release(order: Order, user) -> bool:
    """A hold fraud screening put on is released by fraud reviewers only (approving it)."""
    screening_hold = order.hold_reason == HoldReason.FRAUD_REVIEW and order.risk_status == RiskStatus.REVIEW
    return not screening_hold or user.has_perm("orders.review_fraud")


def _fraud_release_check(order: Order, user) -> None:
    """A hold fraud screening put on is released only by someone who may review fraud, and counts as approved."""
    if order.hold_reason != HoldReason.FRAUD_REVIEW:
        return
    if not _may_release(order, user):
        raise TransitionForbidden("Only fraud reviewers may release an order held by fraud screening.")
    order.risk_status = RiskStatus.APPROVED
    order.save(update_fields=["risk_status", "updated_at"])


def _mark_paid(order: Order, *, actor: str, reason: str, reference: str = "", received_on: date | None = None) -> Order:
    """The funds arrived: ``reference`` (the bank's, of the transfer) and ``received_on`` are kept if told."""
    payment = payment_record_funds(
        payment_id=order.payments.order_by("-pk").values_list("pk", flat=True)[0],
        reference=reference,
        received_on=received_on,
    )
    note = reason or "Funds received"
    if reference or received_on:
        note = "Funds received" + (f" {received_on:%d %b %Y}" if received_on else "")
        note += f", bank reference {reference}." if reference else "."
        note += f" {reason}" if reason else ""
    # The guard reads the summary as it stood (awaiting funds): sync it only once the transition is taken.
    transition_apply(order, "mark_paid", actor=actor, note=note)
    payment_summary_sync(order, payment)
    order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
    auto_stages_run(order=order)
    return order


def _start_fulfillment(order: Order, *, actor: str, reason: str) -> Order:
    warehouses = sorted(
        {
            a.warehouse.code
            for a in LineAllocation.objects.filter(line__order=order, is_released=False).select_related("warehouse")
        }
    )
    transition_apply(
        order, "start_fulfillment", actor=actor, note=reason or f"Pick from {', '.join(warehouses) or 'no warehouse'}"
    )
    return order


def _ship(
    order: Order,
    *,
    actor: str,
    reason: str,
    parcels: list[Parcel] | None = None,
    service: str | None = None,
    rate: RateOption | None = None,
) -> Order:
    """What is reserved and not shipped yet leaves, in ``parcels`` as packed (default: one per warehouse) by
    ``service``.

    ``service`` is a shipping method code (default: the one the customer chose); packing validates
    ``parcels`` against the allocations before it calls this. When units are left to ship afterwards (an
    order that ships in parts, waiting for stock), the order stays fulfilling and the timeline counts the
    shipment; the shipment that sends the last units takes the ``ship`` transition. See
    ``orders.services.shipments`` for how such an order is charged.
    """
    allocations = list(
        LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False)
        .select_related("line")
        .order_by("pk")
    )
    if not allocations:
        raise TransitionNotAvailable(f"Nothing of order {order.number} is ready to ship: no stock is reserved for it.")
    shipped_now = shipped_now_by_line(allocations)
    lines = list(order.lines.all())
    left = sum(line.quantity_reserved + line.quantity_backordered - line.quantity_shipped for line in lines)
    left -= sum(shipped_now.values())
    if left > 0 and not order.ship_partial:
        raise TransitionNotAvailable(
            f"Order {order.number} waits whole: {left} unit(s) are not in stock yet, and it may not ship in parts."
        )
    if parcels is None:
        by_warehouse: dict[int, dict] = defaultdict(lambda: {"weight": Decimal("0"), "contents": []})
        for allocation in allocations:
            parcel = by_warehouse[allocation.warehouse_id]
            parcel["weight"] += allocation.line.weight_kg * allocation.quantity
            parcel["contents"].append({"sku": allocation.line.sku, "quantity": allocation.quantity})
        parcels = [Parcel(w, p["weight"], p["contents"]) for w, p in sorted(by_warehouse.items())]
    service = service or order.shipping_method
    now = timezone.now()
    earlier = order_shipments(order=order)
    in_parts = left > 0 or bool(earlier)
    note = reason or f"{len(parcels)} parcel(s)"
    if in_parts:
        number = order.events.filter(note__regex=r"^Shipment [0-9]+: ").count() + 1
        contents = ", ".join(f"{line.sku} × {shipped_now[line.pk]}" for line in lines if shipped_now.get(line.pk))
        rest = f"{left} unit(s) still to ship" if left else "everything has shipped"
        note = f"Shipment {number}: {contents} in {len(parcels)} parcel(s), {rest}. {note}"
    if left > 0:
        order.save(update_fields=["updated_at"])  # no transition, but the order changed: lists refresh it
        event_record(order=order, actor=actor, note=note)
    else:
        transition_apply(order, "ship", actor=actor, note=note, at=now)
    shipments = shipments_create(
        order_id=order.pk, carrier=carrier_for_method(code=service), service=service, parcels=parcels, rate=rate
    )
    stock_ship(allocations=[(a.stock_item_id, a.quantity) for a in allocations], reference=order.number, actor=actor)
    LineAllocation.objects.filter(pk__in=[a.pk for a in allocations]).update(is_shipped=True)
    for line in lines:
        line.quantity_shipped += shipped_now.get(line.pk, 0)
    OrderLine.objects.bulk_update(lines, ["quantity_shipped"])
    for shipment in shipments:
        outbox.enqueue("orders.tasks.create_shipment_label_task", queue="carriers", shipment_id=shipment.pk)
    if in_parts:
        for shipment in shipments:
            outbox.enqueue(
                "orders.tasks.capture_shipment_payment_task",
                queue="payments",
                dedupe_key=f"capture-shipment:{shipment.pk}",
                shipment_id=shipment.pk,
            )
    else:
        outbox.enqueue("orders.tasks.capture_order_payment_task", queue="payments", order_id=order.pk)
    return order


def _complete(order: Order, *, actor: str, reason: str) -> Order:
    transition_apply(order, "complete", actor=actor, note=reason, at=timezone.now())
    return order


def _cancel(order: Order, *, actor: str, reason: str) -> Order:
    if order.lines.filter(quantity_shipped__gt=0).exists():
        raise TransitionNotAvailable(
            f"Part of order {order.number} has shipped already: it can no longer be cancelled as a whole."
        )
    allocations = list(LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False))
    transition_apply(order, "cancel", actor=actor, note=reason or "Cancelled", at=timezone.now())
    if allocations:
        stock_release(
            allocations=[(a.stock_item_id, a.quantity) for a in allocations],
            reference=order.number,
            reason="order cancelled",
            actor=actor,
        )
        LineAllocation.objects.filter(pk__in=[a.pk for a in allocations]).update(is_released=True)
        order.lines.update(quantity_reserved=0)
    # Parcels not yet with the carrier stay home: their labels, if bought, are voided.
    open_parcels = Shipment.objects.filter(
        order=order, status__in=[Shipment.Status.LABEL_PENDING, Shipment.Status.LABEL_CREATED]
    )
    for shipment_id in open_parcels.values_list("pk", flat=True):
        shipment_cancel(shipment_id=shipment_id)
    outbox.enqueue("orders.tasks.cancel_order_payment_task", queue="payments", order_id=order.pk)
    notify(order, "cancelled")
    return order


def order_cancel_by_system(order: Order, *, actor: str, reason: str) -> Order:
    """Cancel a locked order for a rule of the system (no payment in time): stock released, payment voided,
    the customer told."""
    return _cancel(order, actor=actor, reason=reason)


def _hold(order: Order, *, actor: str, reason: str, code: str | None = None) -> Order:
    """Hold with a classified reason (``code``) and/or a note; a bare note that is a code counts as one."""
    if code is None and not reason.strip():
        raise InvalidInput(
            "A reason is required to put an order on hold.",
            code="reason_required",
            fields={"reason": ["Say why the order is held."]},
        )
    reason = reason.strip()
    if code is None:
        code = reason if reason in HoldReason.values else HoldReason.OTHER
    # A note that is only a code reads as its label on the timeline ("Fraud review", not "fraud_review").
    note = HoldReason(reason).label if reason in HoldReason.values else reason or HoldReason(code).label
    transition_apply(order, "hold", actor=actor, note=note, reason=code, detail=note)
    order_hold_notify(order)
    return order


def _release(order: Order, *, actor: str, reason: str) -> Order:
    transition_apply(order, "release", actor=actor, note=reason or "Released")
    auto_stages_run(order=order)
    if order.status != OrderStatus.ON_HOLD:  # back in the flow: its dates count from now
        order_promise_renew(order=order, actor=actor)
        order_backorders_queue(order)
    return order


def release_by_reviewer(order: Order, *, actor: str, reason: str) -> Order:
    """Release a locked order a fraud reviewer cleared: back where it was held, its automatic stages run on."""
    return _release(order, actor=actor, reason=reason)


_HANDLERS = {
    "mark_paid": _mark_paid,
    "start_fulfillment": _start_fulfillment,
    "ship": _ship,
    "complete": _complete,
    "cancel": _cancel,
    "release": _release,
}


def order_cancel_by_customer(*, order_id: int, actor: str, reason: str = "") -> Order:
    """A storefront or customer cancels: allowed until fulfillment starts, 409 after."""
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if order.status == OrderStatus.CANCELLED:
            return order
        if not order.customer_may_cancel:
            raise TooLateToCancel(f"Order {order.number} is {order.get_status_display().lower()}: too late to cancel.")
        return _cancel(order, actor=actor, reason=reason or "Cancelled by the customer")


def order_capture_payment(*, order_id: int) -> None:
    """Capture the order's payment now that it shipped: whole, or parcel by parcel for an order shipped in
    parts (each part once)."""
    order = Order.objects.get(pk=order_id)
    if order_shipped_in_parts(order=order):
        order_capture_payment_in_parts(order=order)
        return
    payment = order.payments.order_by("-pk").first()
    payment = payment_capture(payment_id=payment.pk)
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        before = order.amount_captured
        payment_summary_sync(order, payment)
        order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
        if order.amount_captured != before:
            event_record(order=order, actor=SYSTEM, note=f"Payment captured: {order.amount_captured} {order.currency}")


def order_cancel_payment(*, order_id: int) -> None:
    order = Order.objects.get(pk=order_id)
    # Oldest first, so the summary ends on the latest payment (after a card retry, the new card).
    for payment in order.payments.order_by("pk"):
        payment = payment_cancel(payment_id=payment.pk)
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        payment_summary_sync(order, payment)
        order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
        event_record(order=order, actor=SYSTEM, note=f"Payment {payment.get_status_display().lower()}")


def order_payment_news(*, order_id: int, note: str) -> None:
    """The payment provider told of a change on its own (a capture or refund made on its dashboard): the
    order's payment summary follows the payment, and the timeline says what happened (once per note)."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        payment = order.payments.order_by("-pk").first()
        payment_summary_sync(order, payment)
        order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
        if not order.events.filter(note=note).exists():
            event_record(order=order, actor=SYSTEM, note=note)


def order_shipment_label(*, shipment_id: int) -> None:
    """Buy the label and put it on the timeline (once, however often this runs); once every parcel of the
    order has one, the customer gets the shipped email. A parcel that left before the order's last shipment
    (an order shipped in parts) gets its own "part of your order has shipped" email."""
    shipment = Shipment.objects.select_related("order__shipping_address").get(pk=shipment_id)
    shipment = shipment_create_label(shipment_id=shipment.pk)
    if not shipment.tracking_number:  # cancelled before its label was bought
        return
    with transaction.atomic():
        order = order_lock(order_id=shipment.order_id)
        note = f"Label bought: {carrier_name(code=shipment.carrier)} {shipment.tracking_number}"
        if not order.events.filter(note=note).exists():
            event_record(order=order, actor=SYSTEM, note=note)
        if shipment_sent_early(order=order, shipment=shipment):
            # A part of an order shipped in parts: its own email, with what is in it and what is to come.
            notify(order, partial_shipped_kind(shipment.pk))
        open_labels = Shipment.objects.filter(order=order, tracking_number=None).exclude(
            status=Shipment.Status.CANCELLED
        )
        if order.status != OrderStatus.FULFILLING and not open_labels.exists():
            notify(order, "shipped")
            for hook in settings.OMS_ORDER_SHIPPED_HOOKS:
                import_string(hook)(order=order)


def _parcel_status_record(order: Order, shipment: Shipment, *, actor: str) -> None:
    """Put the parcel's new status on the timeline unless it is already that parcel's latest news there (a
    webhook delivered twice, or an older event arriving late, writes nothing)."""
    number = shipment.tracking_number
    if shipment.status == Shipment.Status.EXCEPTION:
        note = f"Carrier exception on {number}"
    else:
        note = f"Parcel {number}: {Shipment.Status(shipment.status).label.lower()}"
    latest = (
        order.events.filter(Q(note__startswith=f"Parcel {number}: ") | Q(note=f"Carrier exception on {number}"))
        .order_by("-at", "-pk")
        .values_list("note", flat=True)
        .first()
    )
    if note != latest or shipment.status == Shipment.Status.EXCEPTION:
        event_record(order=order, actor=actor, note=note)


def order_tracking_event(*, carrier: str, payload: object) -> Order:
    """A carrier event arrived: record it, then move the order (in transit, delivered) when it follows.

    A parcel of an order shipped in parts that left early moves only itself (and the timeline): the order,
    still fulfilling or waiting for its last parcels to reach the carrier, goes in transit with a parcel of
    its last shipment, and is delivered when every parcel is.
    """
    with transaction.atomic():
        shipment, is_new = tracking_event_record(carrier=carrier, payload=payload)
        order = order_lock(order_id=shipment.order_id)
        if not is_new:
            return order
        actor = f"carrier:{carrier}"
        _parcel_status_record(order, shipment, actor=actor)
        early = shipment_sent_early(order=order, shipment=shipment)
        if (
            order.status == OrderStatus.SHIPPED
            and not early
            and shipment.status
            in (
                Shipment.Status.IN_TRANSIT,
                Shipment.Status.OUT_FOR_DELIVERY,
                Shipment.Status.DELIVERED,
            )
        ):
            transition_apply(order, "mark_in_transit", actor=actor, note=f"{shipment.tracking_number} in transit")
        if order.status == OrderStatus.IN_TRANSIT and shipment.status == Shipment.Status.OUT_FOR_DELIVERY:
            notify(order, "out_for_delivery")
        statuses = set(Shipment.objects.filter(order=order).values_list("status", flat=True))
        if order.status == OrderStatus.IN_TRANSIT and statuses == {Shipment.Status.DELIVERED}:
            transition_apply(
                order,
                "mark_delivered",
                actor=actor,
                note="All parcels delivered",
                at=shipment.delivered_at or timezone.now(),
            )
            notify(order, "delivered")
        return order


@transaction.atomic
def order_tracking_events(*, carrier: str, payloads: list) -> list[Order]:
    """A batch of carrier events, applied in the order given: all of them or, on a bad one, none."""
    return [order_tracking_event(carrier=carrier, payload=payload) for payload in payloads]


def orders_complete_delivered(*, now=None) -> int:
    """Complete every delivered order whose waiting time has passed and that has no open return; returns how
    many.

    The waiting time is OMS_COMPLETE_AFTER_DAYS after delivery, or the return window (OMS_RETURN_WINDOW_DAYS)
    when that is longer: a customer may still send goods back until it ends.
    """
    days = complete_after_days()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    done = 0
    due = Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__lte=cutoff, returns_open=0)
    for order_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            order = order_lock(order_id=order_id)
            if order.status == OrderStatus.DELIVERED and order.returns_open == 0:
                _complete(order, actor=SYSTEM, reason=f"Completed automatically {days} days after delivery")
                done += 1
    return done


def complete_after_days() -> int:
    """Days after delivery before an order completes by itself: the longer of the waiting time and the return
    window."""
    return max(settings.OMS_COMPLETE_AFTER_DAYS, settings.OMS_RETURN_WINDOW_DAYS)
