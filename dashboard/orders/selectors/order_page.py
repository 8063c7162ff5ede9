"""Reads for the desk's order page: the order with everything the page shows, its notes, staff to assign."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from orders.exceptions import OrderNotFound
from orders.models import Inquiry, LineAllocation, Order, OrderEvent, OrderLine, OrderNote
from payments.models import GatewayTransaction, Payment
from shipping.models import Shipment, TrackingEvent


def order_get_for_desk(*, number: str) -> Order:
    """An order with everything the desk page shows, fetched in a fixed number of queries."""
    if "\x00" in number:
        raise OrderNotFound(f"No order {number}.")
    order = (
        Order.objects.select_related("customer", "shipping_address", "billing_address", "assigned_to", "feedback")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk").prefetch_related(_allocations())),
            Prefetch(
                "payments",
                queryset=Payment.objects.order_by("created_at", "pk")
                .select_related("invoice")
                .prefetch_related(
                    Prefetch("transactions", queryset=GatewayTransaction.objects.order_by("created_at", "pk")),
                    "receipts",
                ),
            ),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("pk")
                .select_related("warehouse")
                .prefetch_related(Prefetch("events", queryset=TrackingEvent.objects.order_by("occurred_at", "pk"))),
            ),
            Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk")),
            Prefetch(
                "internal_notes", queryset=OrderNote.objects.select_related("author").order_by("created_at", "pk")
            ),
            Prefetch("inquiries", queryset=Inquiry.objects.select_related("answered_by").order_by("created_at", "pk")),
        )
        .filter(number=number.strip().upper())
        .first()
    )
    if order is None:
        raise OrderNotFound(f"No order {number}.")
    _actor_names(order.events.all())
    return order


def _actor_names(events) -> None:
    """Each event's ``actor_name``: the staff member's full name where the actor is a login ("Dana Desk", not
    "desk"), else the actor as recorded ("system", "customer"). One query for the whole timeline."""
    logins = {event.actor for event in events}
    names = {
        user.username: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(username__in=logins).only("username", "first_name", "last_name")
    }
    for event in events:
        event.actor_name = names.get(event.actor, event.actor)


def _allocations() -> Prefetch:
    return Prefetch(
        "allocations", queryset=LineAllocation.objects.filter(is_released=False).select_related("warehouse")
    )


def order_notes_get(*, order_id: int) -> list[OrderNote]:
    return list(OrderNote.objects.filter(order_id=order_id).select_related("author").order_by("created_at", "pk"))


def staff_for_assignment() -> QuerySet:
    """Active staff an order may be assigned to."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
