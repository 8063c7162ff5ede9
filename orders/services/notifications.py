"""Customer emails about an order. Each kind goes out once per order, even if its task runs twice."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from orders.links import tracking_url
from orders.models import Notification, Order
from orders.services.common import SYSTEM, event_record

SUBJECTS = {
    "confirmation": "Order {number} confirmed",
    "shipped": "Order {number} has shipped",
    "delivered": "Order {number} was delivered",
    "cancelled": "Order {number} was cancelled",
}


def order_email_send(*, order_id: int, kind: str) -> bool:
    """Send the ``kind`` email for the order unless it went out already; True if sent now.

    The notification row stays locked while the message is handed to the mail server, so a second run
    of the same task waits and then finds it sent. An SMTP error rolls back and propagates for a retry.
    """
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown email kind '{kind}'.")
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
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "shipments": list(order.shipments.all()),
            "tracking_url": tracking_url(order.number),
            "site_url": settings.SITE_URL,
        }
        message = EmailMultiAlternatives(
            subject=SUBJECTS[kind].format(number=order.number),
            body=render_to_string(f"emails/{kind}.txt", context),
            to=[order.customer.email],
        )
        message.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
        message.send()
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["sent_at", "attempts"])
        event_record(order=order, actor=SYSTEM, note=f"Emailed the customer: {kind}")
    return True
