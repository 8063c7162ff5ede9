"""Customer emails about an order. Each kind goes out once per order, even if its task runs twice.

Kinds: payment_instructions (a bank transfer order starts waiting for its money), confirmation, shipped,
out_for_delivery, delivered, ``on_hold:<hold event id>`` (one per hold the customer can fix: a second hold or a
second declined card is told again; a bare ``on_hold`` is a row from before holds were counted), cancelled,
``inquiry_reply:<inquiry id>`` (one per answered inquiry), ``order_updated:<event id>`` (one per change of
the lines after placement, or part cancelled: the timeline entry that tells the change) and
``partial_shipped:<shipment id>`` (one per parcel of an order shipped in parts that left before its last
shipment: what is in it, its tracking, what is to come). Each has a template pair
``templates/emails/<kind>.txt`` / ``.html``; every message carries the signed link to the order page.
Services queue them with ``orders.services.common.notify`` inside their transaction (the outbox), and the
Celery task ``send_order_email_task`` calls :func:`order_email_send`.

Other apps add kinds of their own (``<kind>:<their id>``, e.g. ``return_authorized:12``) by naming, in
``settings.OMS_EMAIL_KINDS``, the function that gives the subject and the extra template context of one; the
emails go through this same once-per-kind row, outbox and retry path, and orders imports none of those apps.
"""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from orders.links import order_customer_url
from orders.models import Notification, Order, OrderEvent, OrderStatus
from orders.selectors.support import CUSTOMER_FIXABLE_HOLDS, hold_advice, inquiry_get
from orders.selectors.unpaid import unpaid_cancel_on
from orders.services.common import SYSTEM, event_record, notify
from shipping.selectors import carrier_name, shipping_method_get
from shipping.services import delivery_dates

logger = logging.getLogger(__name__)

SUBJECTS = {
    "payment_instructions": "Order {number}: how to pay by bank transfer",
    "confirmation": "Order {number} confirmed",
    "shipped": "Order {number} has shipped",
    "out_for_delivery": "Order {number} is out for delivery today",
    "delivered": "Order {number} was delivered",
    "on_hold": "Order {number} is on hold: we need your help",
    "cancelled": "Order {number} was cancelled",
    "inquiry_reply": "Re: your message about order {number}",
    "order_updated": "Order {number} was changed",
    "partial_shipped": "Part of your order {number} has shipped",
}
INQUIRY_REPLY = "inquiry_reply"
ON_HOLD = "on_hold"
PAYMENT_INSTRUCTIONS = "payment_instructions"
ORDER_UPDATED = "order_updated"
# One per parcel of an order shipped in parts that left before the last shipment: ``partial_shipped:<shipment id>``.
PARTIAL_SHIPPED = "partial_shipped"
# Kinds sent once per something (an inquiry, a hold episode, a change, a parcel): ``<kind>:<id>``; True where the
# id is required.
_KINDS_WITH_ID = {INQUIRY_REPLY: True, ON_HOLD: False, ORDER_UPDATED: True, PARTIAL_SHIPPED: True}


@dataclass(frozen=True)
class TransferInstructions:
    """What a customer needs to pay an order by bank transfer, and until when."""

    amount: Decimal
    currency: str
    account_name: str
    iban: str
    bic: str
    reference: str
    cancel_on: date | None


def transfer_instructions(*, order: Order) -> TransferInstructions | None:
    """How to pay the order by bank transfer while it waits for the money; None when it waits for none."""
    if not (order.status == OrderStatus.CREDIT_APPROVED and order.payment_status == "awaiting_funds"):
        return None
    return TransferInstructions(
        amount=order.total - order.amount_captured,
        currency=order.currency,
        account_name=settings.OMS_BANK_ACCOUNT_NAME,
        iban=settings.OMS_BANK_IBAN,
        bic=settings.OMS_BANK_BIC,
        reference=order.number,
        cancel_on=unpaid_cancel_on(order=order),
    )


def promise_from_now(*, order: Order) -> tuple[date, date] | None:
    """(ship-by, estimated delivery) as promised to an order entering the flow now; None without a method."""
    method = shipping_method_get(code=order.shipping_method)
    if method is None:
        return None
    return delivery_dates(placed_at=timezone.now(), transit_days=method.transit_days)


def delivery_estimate(*, order: Order) -> date | None:
    """The delivery date the customer is told (portal, emails): never a day already past.

    A parcel on its way is due no earlier than today; an order not shipped yet (held, waiting for its
    money) no earlier than an order entering the flow now would be. None once delivered or cancelled.
    """
    estimate = order.estimated_delivery_date
    if estimate is None or order.status in (OrderStatus.CANCELLED, OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        return None
    if order.status in (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT):
        return max(estimate, timezone.localdate())
    renewed = promise_from_now(order=order)
    return max(estimate, renewed[1]) if renewed else max(estimate, timezone.localdate())


def order_payment_instructions_notify(order: Order) -> None:
    """Queue the bank details email when the order starts waiting for a transfer (once per order)."""
    if transfer_instructions(order=order) is not None:
        notify(order, PAYMENT_INSTRUCTIONS)


def inquiry_reply_kind(inquiry_id: int) -> str:
    """The notification kind of the reply to one inquiry: each answer is its own email, sent once."""
    return f"{INQUIRY_REPLY}:{inquiry_id}"


def order_hold_notify(order: Order) -> None:
    """Queue the on-hold email when the customer can do something about the hold (pay, fix the address).

    Holds only staff can clear (stock, a fraud review) send nothing: the portal explains them.
    Each hold is its own email (kind ``on_hold:<event id of the hold>``): the customer held a second time,
    or whose new card is declined again, hears of it again; one hold is still told once.
    """
    if order.status == OrderStatus.ON_HOLD and order.hold_reason in CUSTOMER_FIXABLE_HOLDS:
        notify(order, f"{ON_HOLD}:{_hold_episode(order)}")


def _hold_episode(order: Order) -> int | None:
    """The event that put the order on hold as it stands now (the latest hold)."""
    return order.events.filter(to_status=OrderStatus.ON_HOLD).order_by("-pk").values_list("pk", flat=True).first()


def order_change_told(*, event_id: int) -> str:
    """What changed, as the customer is told: the lines part of the change's timeline entry ("SKU-A 2→3,
    SKU-B removed"), without what it meant for the payment or credit."""
    note = OrderEvent.objects.filter(pk=event_id).values_list("note", flat=True).first() or ""
    return note.partition(": ")[2].partition("; total ")[0]


def email_event_note(kind: str) -> str:
    """The timeline's words for a sent email: "on hold", "reply to inquiry #12", not the code."""
    return f"Emailed the customer: {_email_name(kind)}"


def _email_name(kind: str) -> str:
    template, ref = _template_of(kind)
    if template == INQUIRY_REPLY:
        return f"reply to inquiry #{ref}"
    return template.replace("_", " ")


def _template_of(kind: str) -> tuple[str, int | None]:
    template, colon, ref = kind.partition(":")
    if colon:
        valid = (template in _KINDS_WITH_ID or template in settings.OMS_EMAIL_KINDS) and ref.isdigit()
    else:
        valid = template in SUBJECTS and not _KINDS_WITH_ID.get(template, False)
    if not valid:
        raise ValueError(f"Unknown email kind '{kind}'.")
    return template, int(ref) if ref else None


def _still_applies(template: str, ref: int | None, order: Order) -> bool:
    """An email about a passing state is pointless once the order moved past it (released, delivered, paid)."""
    if template == ON_HOLD:
        # Of one hold: once released (even if held again since), that hold's email has nothing to say.
        return order.status == OrderStatus.ON_HOLD and (ref is None or ref == _hold_episode(order))
    if template == PAYMENT_INSTRUCTIONS:
        return transfer_instructions(order=order) is not None
    if template == PARTIAL_SHIPPED:
        return any(s.pk == ref and s.tracking_number and s.status != "cancelled" for s in order.shipments.all())
    if template == "out_for_delivery":
        return order.status in (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT)
    return True


def order_email_send(*, order_id: int, kind: str) -> bool:
    """Send the ``kind`` email for the order unless it went out already; True if sent now.

    The notification row stays locked while the message is handed to the mail server, so a second run
    of the same task waits and then finds it sent. An SMTP error rolls back and propagates for a retry
    (the task records the failed attempt with :func:`order_email_failed`).
    """
    template, ref = _template_of(kind)
    with transaction.atomic():
        Notification.objects.get_or_create(order_id=order_id, kind=kind)
        notification = Notification.objects.select_for_update().get(order_id=order_id, kind=kind)
        if notification.sent_at is not None:
            return False
        order = (
            Order.objects.select_related("customer", "shipping_address")
            .prefetch_related("lines", "shipments")
            .get(pk=order_id)
        )
        if not _still_applies(template, ref, order):
            notification.closed_at = timezone.now()
            notification.save(update_fields=["closed_at"])
            return False
        link = order_customer_url(order.number)
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "shipments": [s for s in order.shipments.all() if s.tracking_number],
            "tracking_url": link,
            "feedback_url": f"{link}#rate",
            "site_url": settings.SITE_URL,
            "estimated_delivery": delivery_estimate(order=order),
        }
        if template == ON_HOLD:
            context["hold"] = hold_advice(order.hold_reason)
        if template == PAYMENT_INSTRUCTIONS:
            context["transfer"] = transfer_instructions(order=order)
        if template == INQUIRY_REPLY:
            context["inquiry"] = inquiry_get(inquiry_id=ref)
        if template == ORDER_UPDATED:
            context["change"] = order_change_told(event_id=ref)
        if template == PARTIAL_SHIPPED:
            context.update(_partial_shipment_context(order, shipment_id=ref))
        subject = SUBJECTS.get(template, "").format(number=order.number)
        if template in settings.OMS_EMAIL_KINDS:
            subject, extra = import_string(settings.OMS_EMAIL_KINDS[template])(order=order, kind=template, ref=ref)
            context.update(extra)
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"emails/{template}.txt", context),
            to=[order.customer.email],
        )
        message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
        message.send()
        notification.sent_at = notification.closed_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["sent_at", "closed_at", "attempts"])
        event_record(order=order, actor=SYSTEM, note=email_event_note(kind))
    return True


def _partial_shipment_context(order: Order, *, shipment_id: int) -> dict:
    """The parcel that left (what is in it, by name) and what of the order is still to come."""
    shipment = next(s for s in order.shipments.all() if s.pk == shipment_id)
    lines = list(order.lines.all())
    names = {line.sku: line.name for line in lines}
    to_come = [
        {"sku": line.sku, "name": line.name, "quantity": left}
        for line in lines
        if (left := line.quantity_reserved + line.quantity_backordered - line.quantity_shipped) > 0
    ]
    return {
        "shipment": shipment,
        "carrier_name": carrier_name(code=shipment.carrier),
        "items": [
            {"sku": c["sku"], "name": names.get(c["sku"], c["sku"]), "quantity": c["quantity"]}
            for c in shipment.contents
        ],
        "to_come": to_come,
    }


def order_email_failed(*, order_id: int, kind: str, error: str, final: bool) -> None:
    """Count a failed attempt to send ``kind``; on the last one, tell staff on the order's timeline.

    Runs in its own transaction after the send rolled back, so the count survives the failure.
    """
    _template_of(kind)
    with transaction.atomic():
        Notification.objects.get_or_create(order_id=order_id, kind=kind)
        Notification.objects.filter(order_id=order_id, kind=kind).update(attempts=F("attempts") + 1)
        if final:
            now = timezone.now()
            Notification.objects.filter(order_id=order_id, kind=kind, sent_at=None).update(closed_at=now, failed_at=now)
            attempts = Notification.objects.get(order_id=order_id, kind=kind).attempts
            order = Order.objects.get(pk=order_id)
            logger.error("Gave up emailing %s to the customer of order %s: %s", kind, order.number, error[:200])
            event_record(
                order=order,
                actor=SYSTEM,
                note=(
                    f"Could not email the customer: {_email_name(kind)} ({error[:200]}); "
                    f"gave up after {attempts} attempt(s)"
                ),
            )
