"""Play the demo carrier: tracking events for shipped and in-transit orders.

Events go either straight to ``orders.services.order_tracking_event`` (the default), or, with ``--url``,
over HTTP to the carrier webhook of a running server, signed like a real carrier signs them
(``X-OMS-Signature: t=<unix ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">``). Either way the order moves
exactly as it would for a real carrier: shipped → in transit → delivered, with the customer's email.

Event ids are fixed per parcel and status, so running the command twice sends nothing new.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.services import order_tracking_event
from shipping.carriers import sign
from shipping.models import Shipment

CARRIER = "demo"
WEBHOOK_PATH = "/api/v1/shipping/webhooks/demo/"
STEPS = ("in_transit", "out_for_delivery", "delivered")
EXCEPTION_TEXT = "Delivery attempted: nobody home. We will try again on the next business day."


def statuses_after(current: str, *, until: str = "delivered", exception: bool = False) -> list[str]:
    """The carrier statuses still to come for a parcel that is now ``current``, up to ``until``.

    With ``exception``, a failed delivery attempt comes right after the parcel is in transit.
    """
    done = {
        Shipment.Status.LABEL_PENDING: 0,
        Shipment.Status.LABEL_CREATED: 0,
        Shipment.Status.IN_TRANSIT: 1,
        Shipment.Status.EXCEPTION: 1,
        Shipment.Status.OUT_FOR_DELIVERY: 2,
        Shipment.Status.DELIVERED: 3,
    }[current]
    statuses = list(STEPS[done : STEPS.index(until) + 1])
    if exception and current != Shipment.Status.EXCEPTION and done <= 1 and until != "in_transit":
        statuses.insert(1 if done == 0 else 0, "exception")
    return statuses


def tracking_payload(*, shipment: Shipment, status: str, at: datetime) -> dict:
    """One event as the demo carrier sends it to ``POST /api/v1/shipping/webhooks/demo/``."""
    origin = shipment.warehouse.name
    destination = shipment.order.shipping_address
    place = f"{destination.city}, {destination.country}"
    location, description = {
        "in_transit": (origin, f"Picked up at {origin}; on its way"),
        "out_for_delivery": (place, "Out for delivery"),
        "delivered": (place, "Delivered; signed for at the door"),
        "exception": (place, EXCEPTION_TEXT),
    }[status]
    return {
        "event_id": f"{shipment.tracking_number}-{status}",
        "tracking_number": shipment.tracking_number,
        "status": status,
        "occurred_at": at.isoformat(),
        "location": location,
        "description": description,
    }


def webhook_post(*, url: str, payload: dict, secret: str, timeout: float = 10) -> dict:
    """POST one signed event to the webhook under ``url``; returns the decoded answer."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    request = urllib.request.Request(
        url.rstrip("/") + WEBHOOK_PATH,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-OMS-Signature": sign(secret=secret, body=body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked by caller
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:500]
        raise CommandError(f"The webhook answered {exc.code}: {detail}") from None
    except urllib.error.URLError as exc:
        raise CommandError(f"Cannot reach {url}: {exc.reason}") from None


def _times(count: int, *, after: datetime | None, end: datetime) -> Sequence[datetime]:
    """``count`` moments up to ``end``: 20 minutes apart, or spread evenly after the parcel's last event."""
    if after is not None and after < end:
        return [after + (end - after) * (i + 1) / count for i in range(count)]
    return [end - timedelta(minutes=20) * (count - 1 - i) for i in range(count)]


class Command(BaseCommand):
    help = (
        "Send the demo carrier's tracking events (in transit, out for delivery, delivered; optionally a failed "
        "attempt) for shipped and in-transit orders: directly, or signed over HTTP with --url."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--order", action="append", dest="orders", metavar="NUMBER", help="An order number; repeat for several."
        )
        parser.add_argument("--all", action="store_true", help="Every order that is shipped or in transit.")
        parser.add_argument(
            "--url",
            metavar="BASE_URL",
            help="Post the events to the webhook of the server at this address (e.g. http://127.0.0.1:8000) "
            "instead of applying them directly.",
        )
        parser.add_argument(
            "--until",
            choices=STEPS,
            default="delivered",
            help="Stop after this carrier status (default: delivered).",
        )
        parser.add_argument(
            "--exception", action="store_true", help="Add a failed delivery attempt before out for delivery."
        )

    def handle(self, *args, orders=None, all=False, url=None, until="delivered", exception=False, **options):
        if not orders and not all:
            raise CommandError("Name the orders with --order NUMBER, or use --all.")
        if url and not url.startswith(("http://", "https://")):
            raise CommandError("--url must start with http:// or https://.")
        trackable = [OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT]
        if orders:
            selected = []
            for number in orders:
                order = Order.objects.filter(number=number.strip().upper()).first()
                if order is None:
                    raise CommandError(f"No order {number}.")
                if order.status not in trackable:
                    raise CommandError(
                        f"Order {order.number} is {order.get_status_display().lower()}: "
                        "only shipped or in-transit orders have parcels on the road."
                    )
                selected.append(order)
        else:
            selected = list(Order.objects.filter(status__in=trackable).order_by("placed_at", "pk"))
        if not selected:
            self.stdout.write("No shipped or in-transit orders: nothing to do.")
            return

        secret = settings.DEMO_CARRIER_WEBHOOK_SECRET
        sent = 0
        for order in selected:
            shipments = list(
                Shipment.objects.filter(order=order, carrier=CARRIER)
                .select_related("warehouse", "order__shipping_address")
                .order_by("pk")
            )
            status = order.status
            for shipment in shipments:
                if not shipment.tracking_number:
                    self.stderr.write(f"{order.number}: parcel {shipment.pk} has no label yet; skipped.")
                    continue
                statuses = statuses_after(shipment.status, until=until, exception=exception)
                last = shipment.events.aggregate(last=Max("occurred_at"))["last"]
                for at, carrier_status in zip(
                    _times(len(statuses), after=last, end=timezone.now()), statuses, strict=True
                ):
                    payload = tracking_payload(shipment=shipment, status=carrier_status, at=at)
                    if url:
                        status = webhook_post(url=url, payload=payload, secret=secret).get("order_status", status)
                    else:
                        status = order_tracking_event(carrier=CARRIER, payload=payload).status
                    sent += 1
                shown = " → ".join(statuses) or "nothing new"
                self.stdout.write(f"{order.number}  {shipment.tracking_number}  {shown}")
            self.stdout.write(f"{order.number}  order is now {status}")
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} tracking event(s) for {len(selected)} order(s)."))
