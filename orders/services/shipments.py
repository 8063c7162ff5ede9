"""Orders shipped in parts: what is left to ship, which parcels left early, and the charge per shipment.

An order that may ship in parts (``Order.ship_partial``) leaves in several dispatches as stock comes in. Each
dispatch is one pack & ship (``orders.services.lifecycle._ship``): its parcels become ``Shipment`` rows with
their own labels and tracking; the order stays ``fulfilling`` until the dispatch that sends the last units
takes the ``ship`` transition. A parcel created before the order's ``shipped_at`` left early (a part); the
parcels of the last dispatch are created after it.

The charge follows the goods. Each parcel of an order shipped in parts is captured when it leaves, for
(see :func:`shipment_capture_amount`):

- the unit price × units of what is in it, plus tax at the order's rate on that;
- the shipping charge and its tax, once, with the order's first parcel;
- the last parcel of the order takes the remainder (order total less every other parcel's amount), so the
  captures add up to the total exactly, whatever the rounding.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum

from oms.money import ZERO, quantize
from orders.models import Order, OrderStatus
from orders.services.common import PAYMENT_SUMMARY_FIELDS, SYSTEM, event_record, order_lock, payment_summary_sync
from orders.services.notifications import PARTIAL_SHIPPED
from payments.models import GatewayTransaction
from payments.services.charges import payment_capture_part
from shipping.models import Shipment


def order_units_to_ship(*, order: Order) -> int:
    """Units ordered and still to leave: reserved but not shipped, plus those waiting for stock."""
    left = order.lines.aggregate(left=Sum(F("quantity_reserved") + F("quantity_backordered") - F("quantity_shipped")))[
        "left"
    ]
    return max(left or 0, 0)


def order_shipments(*, order: Order) -> list[Shipment]:
    """The order's parcels that left or will leave (cancelled ones are not), oldest first."""
    return list(Shipment.objects.filter(order=order).exclude(status=Shipment.Status.CANCELLED).order_by("pk"))


def shipment_sent_early(*, order: Order, shipment: Shipment) -> bool:
    """The parcel left while the order was still being fulfilled: a part, not the last dispatch."""
    return order.shipped_at is None or shipment.created_at < order.shipped_at


def order_shipped_in_parts(*, order: Order) -> bool:
    """Some of the order's parcels left before the dispatch that completed it (or it is not complete yet)."""
    return any(shipment_sent_early(order=order, shipment=s) for s in order_shipments(order=order))


def shipment_is_last(*, order: Order, shipment: Shipment) -> bool:
    """The order has shipped (nothing left) and ``shipment`` is its last parcel."""
    if order.status == OrderStatus.FULFILLING or order.shipped_at is None:
        return False
    last = Shipment.objects.filter(order=order).exclude(status=Shipment.Status.CANCELLED).order_by("-pk").first()
    return last is not None and last.pk == shipment.pk


def partial_shipped_kind(shipment_id: int) -> str:
    """The email kind telling the customer that one parcel of a part shipment left: one email per parcel."""
    return f"{PARTIAL_SHIPPED}:{shipment_id}"


def _goods_value(order: Order, shipment: Shipment, prices: dict[str, Decimal]) -> Decimal:
    return sum((prices.get(c["sku"], ZERO) * int(c["quantity"]) for c in shipment.contents), ZERO)


def shipment_capture_amount(*, order: Order, shipment: Shipment) -> Decimal:
    """What leaving with ``shipment`` charges the customer (the rule is in the module's docstring).

    Computed from the order and its parcels only, never from what was captured so far: a capture run twice,
    or runs in another order than the parcels left, ask for the same amounts.
    """
    prices: dict[str, Decimal] = {}
    for sku, price in order.lines.order_by("pk").values_list("sku", "unit_price"):
        prices.setdefault(sku, price)
    parcels = order_shipments(order=order)
    if not parcels or shipment.pk not in {p.pk for p in parcels}:
        return ZERO
    rate = order.tax_rate
    amounts: dict[int, Decimal] = {}
    for n, parcel in enumerate(parcels):
        goods = _goods_value(order, parcel, prices)
        amount = goods + quantize(goods * rate)
        if n == 0:
            amount += order.shipping_total + quantize(order.shipping_total * rate)
        amounts[parcel.pk] = quantize(amount)
    last = parcels[-1]
    if shipment_is_last(order=order, shipment=shipment):
        others = sum((a for pk, a in amounts.items() if pk != last.pk), ZERO)
        return max(order.total - others, ZERO)
    before = sum((amounts[p.pk] for p in parcels if p.pk < shipment.pk), ZERO)
    return max(min(amounts[shipment.pk], order.total - before), ZERO)


def order_capture_shipment_payment(*, shipment_id: int) -> Order:
    """Capture the part of the order's payment that ``shipment`` carries (once: keyed on the shipment), then
    bring the order's payment summary in step and say so on the timeline."""
    shipment = Shipment.objects.get(pk=shipment_id)
    order = Order.objects.get(pk=shipment.order_id)
    payment = order.payments.order_by("-pk").first()
    if payment is None:
        return order
    key = f"shipment-{shipment.pk}"
    if shipment_is_last(order=order, shipment=shipment):
        # Everything not captured yet, which is the remainder of the rule when each part was captured, and
        # makes up for a part the gateway refused (Stripe without multicapture): the captures reach the total.
        payment = payment_capture_part(payment_id=payment.pk, amount=None, key=key)
    elif (amount := shipment_capture_amount(order=order, shipment=shipment)) > 0:
        payment = payment_capture_part(payment_id=payment.pk, amount=amount, key=key)
    refused = GatewayTransaction.objects.filter(
        idempotency_key=f"payment-{payment.pk}-capture-{key}", outcome="declined"
    ).first()
    with transaction.atomic():
        order = order_lock(order_id=order.pk)
        before = order.amount_captured
        payment_summary_sync(order, payment)
        order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
        parcel = shipment.tracking_number or f"#{shipment.pk}"
        if refused is not None:
            note = f"Capture for parcel {parcel} refused by the gateway: {refused.message or refused.error_code}"
            if not order.events.filter(note=note).exists():
                event_record(order=order, actor=SYSTEM, note=note)
        if order.amount_captured != before:
            event_record(
                order=order,
                actor=SYSTEM,
                note=(
                    f"Payment captured for parcel {parcel}: {order.amount_captured - before} {order.currency} "
                    f"({order.amount_captured} of {order.total})"
                ),
            )
    return order


def order_capture_payment_in_parts(*, order: Order) -> None:
    """Capture, parcel by parcel, whatever of an order shipped in parts is not captured yet (the reconciler's
    re-drive of a lost capture): each parcel's capture happens at most once."""
    for shipment in order_shipments(order=order):
        order_capture_shipment_payment(shipment_id=shipment.pk)


def shipped_now_by_line(allocations) -> dict[int, int]:
    """Units per line in the allocations that leave now."""
    units: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        units[allocation.line_id] += allocation.quantity
    return units
