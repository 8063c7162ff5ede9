"""Customer emails about an order. Each kind goes out once per order, even if its task runs twice.

Kinds: confirmation, shipped, out_for_delivery, delivered, on_hold (only for holds the customer can fix),
cancelled, and ``inquiry_reply:<inquiry id>`` (one per answered inquiry). Each has a template pair
``templates/emails/<kind>.txt`` / ``.html``; every message carries the signed link to the order page.
Services queue them with ``orders.services.common.notify`` inside their transaction (the outbox), and the
Celery task ``send_order_email_task`` calls :func:`order_email_send`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from orders.links import order_customer_url
from orders.models import Notification, Order, OrderStatus
from orders.selectors.support import CUSTOMER_FIXABLE_HOLDS, hold_advice, inquiry_get
from orders.services.common import SYSTEM, event_record, notify

logger = logging.getLogger(__name__)

SUBJECTS = {
    "confirmation": "Order {number} confirmed",
    "shipped": "Order {number} has shipped",
    "out_for_delivery": "Order {number} is out for delivery today",
    "delivered": "Order {number} was delivered",
    "on_hold": "Order {number} is on hold: we need your help",
    "cancelled": "Order {number} was cancelled",
    "inquiry_reply": "Re: your message about order {number}",
}
INQUIRY_REPLY = "inquiry_reply"


def inquiry_reply_kind(inquiry_id: int) -> str:
    """The notification kind of the reply to one inquiry: each answer is its own email, sent once."""
    return f"{INQUIRY_REPLY}:{inquiry_id}"


def order_hold_notify(order: Order) -> None:
    """Queue the on-hold email when the customer can do something about the hold (pay, fix the address).

    Holds only staff can clear (stock, a fraud review) send nothing: the portal explains them.
    """
    if order.status == OrderStatus.ON_HOLD and order.hold_reason in CUSTOMER_FIXABLE_HOLDS:
        notify(order, "on_hold")


def email_event_note(kind: str) -> str:
    """The timeline's words for a sent email: "on hold", "reply to inquiry #12", not the code."""
    template, ref = _template_of(kind)
    what = f"reply to inquiry #{ref}" if template == INQUIRY_REPLY else template.replace("_", " ")
    return f"Emailed the customer: {what}"


def _template_of(kind: str) -> tuple[str, int | None]:
    template, _, ref = kind.partition(":")
    if template not in SUBJECTS or (template == INQUIRY_REPLY) != ref.isdigit():
        raise ValueError(f"Unknown email kind '{kind}'.")
    return template, int(ref) if ref else None


def _still_applies(template: str, order: Order) -> bool:
    """An email about a passing state is pointless once the order moved past it (released, delivered)."""
    if template == "on_hold":
        return order.status == OrderStatus.ON_HOLD
    if template == "out_for_delivery":
        return order.status in (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT)
    return True


def order_email_send(*, order_id: int, kind: str) -> bool:
    """Send the ``kind`` email for the order unless it went out already; True if sent now.

    The notification row stays locked while the message is handed to the mail server, so a second run
    of the same task waits and then finds it sent. An SMTP error rolls back and propagates for a retry
    (the task records the failed attempt with :func:`order_email_failed`).
    """
    template, inquiry_id = _template_of(kind)
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
        if not _still_applies(template, order):
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
        }
        if template == "on_hold":
            context["hold"] = hold_advice(order.hold_reason)
        if inquiry_id is not None:
            context["inquiry"] = inquiry_get(inquiry_id=inquiry_id)
        message = EmailMultiAlternatives(
            subject=SUBJECTS[template].format(number=order.number),
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
                note=f"Could not email the customer: {kind} ({error[:200]}); gave up after {attempts} attempt(s)",
            )
