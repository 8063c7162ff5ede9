"""Reads for the customer portal and the customer emails: what a customer may see of their order.

Everything a portal page shows is gathered here in a fixed number of queries, so templates run none.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch

from orders.exceptions import OrderNotFound
from orders.models import Address, Customer, Feedback, Inquiry, Order, OrderEvent, OrderLine, OrderStatus
from orders.selectors.support import HoldAdvice, hold_advice
from orders.services.finance import payment_retry_possible
from orders.services.notifications import TransferInstructions, delivery_estimate, transfer_instructions
from shipping.models import Shipment, TrackingEvent

S = OrderStatus


# The progress line a customer sees, in order: (key, label).
STEPS = [
    ("placed", "Placed"),
    ("confirmed", "Confirmed"),
    ("packing", "Being packed"),
    ("shipped", "Shipped"),
    ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered"),
]
# How far along the line each status is (index into STEPS); shipped and in transit move on to "out for
# delivery" once a parcel is out.
_REACHED = {
    S.PLACED: 0,
    S.VERIFIED: 0,
    S.CREDIT_APPROVED: 0,
    S.PAID: 0,
    S.CONFIRMED: 1,
    S.FULFILLING: 2,
    S.SHIPPED: 3,
    S.IN_TRANSIT: 3,
    S.DELIVERED: 5,
    S.COMPLETED: 5,
}
# The events whose dates the line shows.
_STEP_EVENTS = {S.CONFIRMED: "confirmed", S.FULFILLING: "packing", S.SHIPPED: "shipped"}
_OUT = (Shipment.Status.OUT_FOR_DELIVERY, Shipment.Status.DELIVERED)

SHIPMENT_LABELS = {
    Shipment.Status.LABEL_PENDING: "Preparing the parcel",
    Shipment.Status.LABEL_CREATED: "Packed, waiting for the carrier",
    Shipment.Status.IN_TRANSIT: "On its way",
    Shipment.Status.OUT_FOR_DELIVERY: "Out for delivery",
    Shipment.Status.DELIVERED: "Delivered",
    Shipment.Status.EXCEPTION: "Delayed: the carrier reported a problem",
}


@dataclass
class Step:
    key: str
    label: str
    done: bool = False
    current: bool = False
    held: bool = False
    at: datetime | None = None


@dataclass
class PortalOrder:
    """One order as its customer sees it, with what they may do now and why not otherwise."""

    order: Order
    headline: str
    lines: list[OrderLine]
    shipments: list[Shipment]
    steps: list[Step]
    address: list[str]
    inquiries: list[Inquiry]
    feedback: Feedback | None
    hold: HoldAdvice | None = None
    # An order shipping in parts: what has not left yet (name, sku, quantity), told beside the parcels.
    to_come: list[dict] = field(default_factory=list)
    estimated_delivery: date | None = None
    transfer: TransferInstructions | None = None
    can_cancel: bool = False
    cancel_refusal: str = ""
    can_ask: bool = True
    ask_refusal: str = ""
    can_rate: bool = False
    rate_refusal: str = ""
    can_pay: bool = False
    pay_refusal: str = ""


def order_find_for_lookup(*, number: str, email: str) -> Order | None:
    """The order with this number whose customer has this email; None when either is wrong.

    One query whichever is wrong, so neither the answer nor its timing tells which orders exist.
    """
    number, email = number.strip().upper(), email.strip()
    if not number or not email or "\x00" in number or "\x00" in email:
        return None
    return (
        Order.objects.filter(number=number, customer__in=Customer.objects.with_email(email))
        .only("pk", "number")
        .first()
    )


def order_page_for_customer(*, number: str) -> PortalOrder:
    """Everything the portal's order page shows (7 queries whatever the order holds, 2 more for the delivery
    estimate of an order not yet shipped and the last day of one waiting for its transfer)."""
    order = (
        Order.objects.select_related("customer", "shipping_address", "feedback")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk"), to_attr="line_list"),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("pk").prefetch_related(
                    Prefetch(
                        "events",
                        queryset=TrackingEvent.objects.order_by("-occurred_at", "-pk"),
                        to_attr="event_list",
                    )
                ),
                to_attr="shipment_list",
            ),
            Prefetch(
                "events",
                queryset=OrderEvent.objects.filter(to_status__in=[*_STEP_EVENTS, S.CANCELLED]).order_by("at", "pk"),
                to_attr="step_events",
            ),
            Prefetch("inquiries", queryset=Inquiry.objects.order_by("created_at", "pk"), to_attr="inquiry_list"),
        )
        .filter(number=number)
        .first()
    )
    if order is None:
        raise OrderNotFound(f"No order {number}.")
    shipments = order.shipment_list
    names = {line.sku: line.name for line in order.line_list}
    for shipment in shipments:
        shipment.customer_status = SHIPMENT_LABELS.get(shipment.status, shipment.get_status_display())
        shipment.items = [
            {"name": names.get(c.get("sku"), c.get("sku", "")), "quantity": c.get("quantity", 0)}
            for c in shipment.contents
            if isinstance(c, dict)
        ]
    feedback = getattr(order, "feedback", None)
    page = PortalOrder(
        order=order,
        headline=_headline(order, shipments),
        lines=order.line_list,
        shipments=shipments,
        steps=_steps(order, shipments),
        address=address_masked(order.shipping_address),
        inquiries=order.inquiry_list,
        feedback=feedback,
    )
    if shipments and order.status == S.FULFILLING:
        page.to_come = [
            {"sku": line.sku, "name": line.name, "quantity": left}
            for line in order.line_list
            if (left := line.quantity_reserved + line.quantity_backordered - line.quantity_shipped) > 0
        ]
    if order.status == S.ON_HOLD:
        page.hold = hold_advice(order.hold_reason)
    page.estimated_delivery = delivery_estimate(order=order)
    page.transfer = transfer_instructions(order=order)
    _actions(page)
    return page


def _headline(order: Order, shipments: list[Shipment]) -> str:
    if order.status == S.CREDIT_APPROVED and order.payment_status == "awaiting_funds":
        return "Waiting for your bank transfer"
    if order.status == S.FULFILLING and shipments:
        return "Partly shipped: the rest follows"
    if order.status in (S.SHIPPED, S.IN_TRANSIT) and any(
        s.status == Shipment.Status.OUT_FOR_DELIVERY for s in shipments
    ):
        return "Out for delivery"
    return {
        S.PLACED: "We have your order",
        S.VERIFIED: "We have your order",
        S.CREDIT_APPROVED: "We have your order",
        S.PAID: "Payment received",
        S.CONFIRMED: "Confirmed: we will start packing soon",
        S.FULFILLING: "Being packed",
        S.SHIPPED: "Shipped",
        S.IN_TRANSIT: "On its way",
        S.DELIVERED: "Delivered",
        S.COMPLETED: "Delivered",
        S.ON_HOLD: "On hold",
        S.CANCELLED: "Cancelled",
    }[order.status]


def _steps(order: Order, shipments: list[Shipment]) -> list[Step]:
    """The progress line: each step done or not, with its date; the last done one is where the order is."""
    steps = [Step(key, label) for key, label in STEPS]
    by_key = {step.key: step for step in steps}
    by_key["placed"].at = order.placed_at
    for event in order.step_events:
        key = _STEP_EVENTS.get(event.to_status)
        if key and by_key[key].at is None:
            by_key[key].at = event.at
    by_key["shipped"].at = order.shipped_at or by_key["shipped"].at
    out = [e.occurred_at for s in shipments for e in s.event_list if e.status == TrackingEvent.Status.OUT_FOR_DELIVERY]
    by_key["out_for_delivery"].at = min(out, default=None)
    by_key["delivered"].at = order.delivered_at

    if order.status == S.CANCELLED:
        # As far as it got before it was cancelled: the steps that happened.
        reached = max((i for i, step in enumerate(steps) if step.at is not None), default=0)
    elif order.status == S.ON_HOLD:
        reached = _REACHED.get(order.held_from, 0)
    else:
        reached = _REACHED[order.status]
        if reached == 3 and any(s.status in _OUT for s in shipments):
            reached = 4
    for i, step in enumerate(steps):
        step.done = i <= reached
        if not step.done:
            step.at = None  # a date from an earlier try (released hold, say) would read as done
    if order.status == S.CANCELLED:
        # The line ends where the order stopped: what happened, then the cancellation.
        return [*steps[: reached + 1], Step("cancelled", "Cancelled", done=True, current=True, at=order.cancelled_at)]
    steps[reached].current = True
    if order.status == S.ON_HOLD and reached + 1 < len(steps):
        steps[reached + 1].held = True
    return steps


def _actions(page: PortalOrder) -> None:
    """What the customer may do now, decided by the order's rules (the services enforce the same ones); each
    refusal is said in words they understand."""
    order = page.order
    page.can_cancel = order.customer_may_cancel
    if not page.can_cancel:
        page.cancel_refusal = _cancel_refusal(order)

    open_inquiries = sum(1 for inquiry in page.inquiries if not inquiry.is_answered)
    page.can_ask = order.customer_may_ask(open_inquiries=open_inquiries)
    if not page.can_ask:
        page.ask_refusal = "We have your messages and will answer them soon; you can write again once we have."

    page.can_pay = payment_retry_possible(order=order)
    if not page.can_pay:
        page.pay_refusal = "There is nothing to pay for this order now."

    rated = page.feedback is not None
    page.can_rate = order.customer_may_rate(rated=rated)
    if not page.can_rate:
        page.rate_refusal = _rate_refusal(order, rated=rated)


def _cancel_refusal(order: Order) -> str:
    if order.status == S.CANCELLED:
        return "This order is cancelled."
    if order.status == S.FULFILLING:
        return (
            "We have started packing this order, so it can no longer be cancelled here. "
            "Send us a message and we will see what we can do."
        )
    return "This order has left our warehouse, so it can no longer be cancelled."


def _rate_refusal(order: Order, *, rated: bool) -> str:
    if rated:
        return "Thank you: you have rated this order."
    if order.status == S.CANCELLED:
        return "A cancelled order cannot be rated."
    return "You can rate your order once it has been delivered."


def _mask(text: str, keep: int) -> str:
    text = text.strip()
    if not text:
        return ""
    return text[:keep] + "•" * max(3, min(len(text) - keep, 6))


def address_masked(address: Address) -> list[str]:
    """The delivery address as a customer recognises it and a stranger with the link learns little from:
    initials, the street hidden, the city and region, the postal code's first characters, the country.
    Laid out like everywhere else (``Address.locality_lines``), only with the postal code masked."""
    initials = " ".join(f"{word[0]}." for word in address.name.split() if word)
    return [
        initials,
        _mask(address.line1, 1),
        *address.locality_lines(postal_code=_mask(address.postal_code, 2)),
        address.country,
    ]
