"""Unpaid orders do not hold stock forever: after ``OMS_UNPAID_CANCEL_DAYS`` waiting for a bank transfer or
with a declined card, the order is cancelled, its stock released and the customer told (the cancelled email).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.selectors.unpaid import orders_waiting_for_payment, unpaid_since
from orders.services.common import SYSTEM, order_lock
from orders.services.lifecycle import order_cancel_by_system


def orders_cancel_unpaid(*, now: datetime | None = None) -> list[str]:
    """Cancel every order that waited for payment longer than the setting allows; their numbers."""
    now = now or timezone.now()
    days = settings.OMS_UNPAID_CANCEL_DAYS
    cutoff = now - timedelta(days=days)
    # Waiting started at placement or later: orders placed after the cutoff cannot be due yet.
    candidates = orders_waiting_for_payment().filter(placed_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)
    cancelled = []
    for order_id in candidates[:500]:
        with transaction.atomic():
            order = order_lock(order_id=order_id)
            since = unpaid_since(order=order)
            if since is None or since >= cutoff:
                continue
            order_cancel_by_system(
                order, actor=SYSTEM, reason=f"Cancelled automatically: no payment within {days} days"
            )
            cancelled.append(order.number)
    return cancelled
