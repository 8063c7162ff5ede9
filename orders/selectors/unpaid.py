"""Orders waiting for the customer's money: a bank transfer not yet arrived, or a card that was declined.

Such an order keeps its stock reserved; after ``OMS_UNPAID_CANCEL_DAYS`` in that state it is cancelled
(orders.services.expiry), so its stock goes back on sale. Pages show the day that will happen.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from orders.models import HoldReason, Order, OrderStatus

WAITING_FOR_PAYMENT = Q(status=OrderStatus.CREDIT_APPROVED, payment_status="awaiting_funds") | Q(
    status=OrderStatus.ON_HOLD, hold_reason=HoldReason.PAYMENT_FAILED
)


def orders_waiting_for_payment() -> QuerySet[Order]:
    return Order.objects.filter(WAITING_FOR_PAYMENT)


def _waiting(order: Order) -> bool:
    return (order.status == OrderStatus.CREDIT_APPROVED and order.payment_status == "awaiting_funds") or (
        order.status == OrderStatus.ON_HOLD and order.hold_reason == HoldReason.PAYMENT_FAILED
    )


def unpaid_since(*, order: Order) -> datetime | None:
    """When the order started waiting for payment (it entered its current state); None if it is not waiting."""
    if not _waiting(order):
        return None
    entered = order.events.filter(to_status=order.status).order_by("-at").values_list("at", flat=True).first()
    return entered or order.placed_at


def unpaid_cancel_on(*, order: Order) -> date | None:
    """The day (shop time) the order is cancelled if no payment arrives; None if it waits for none."""
    since = unpaid_since(order=order)
    if since is None:
        return None
    return timezone.localdate(since + timedelta(days=settings.OMS_UNPAID_CANCEL_DAYS))
