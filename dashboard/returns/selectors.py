"""Reads for the returns pages: the work queues and what may still be returned of an order.

The return itself, with its lines and timeline, is read through ``returns.selectors``.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from inventory.models import Warehouse
from orders.models import Order, OrderLine, OrderStatus
from returns.links import return_label_path
from returns.models import ReturnRequest, ReturnStatus
from returns.policy import return_policy
from returns.selectors import return_list_for_order

S = ReturnStatus
# Each queue is the work of one role: support authorizes, the warehouse receives and inspects, finance refunds.
QUEUES: dict[str, tuple[str, Q]] = {
    "authorize": ("To authorize", Q(status=S.REQUESTED)),
    "arrival": ("Awaiting arrival", Q(status=S.AUTHORIZED, returnless=False)),
    "inspect": ("To inspect", Q(status=S.RECEIVED)),
    "refund": ("To refund or exchange", Q(status=S.INSPECTED) | Q(status=S.AUTHORIZED, returnless=True)),
    "close": ("To close", Q(status__in=[S.REFUNDED, S.EXCHANGED])),
}


def return_queue(*, queue: str) -> QuerySet[ReturnRequest]:
    """The returns of one queue, oldest first (the longest waiting customer first)."""
    _, condition = QUEUES[queue]
    return (
        ReturnRequest.objects.filter(condition)
        .select_related("order", "order__customer")
        .annotate(units=Count("lines"))
        .order_by("created_at", "pk")
    )


def return_queue_counts() -> dict[str, int]:
    """How many returns wait in each queue (one query)."""
    return ReturnRequest.objects.aggregate(**{name: Count("pk", filter=cond) for name, (_, cond) in QUEUES.items()})


@dataclass(frozen=True)
class ReturnableLine:
    line: OrderLine
    returnable: int  # shipped minus already returned


def returnable_lines(*, order: Order) -> list[ReturnableLine]:
    """Every line of the order with how many units may still be returned (0 when none)."""
    return [
        ReturnableLine(line=line, returnable=max(line.quantity_shipped - line.quantity_returned, 0))
        for line in OrderLine.objects.filter(order=order).order_by("pk")
    ]


def warehouses_for_receipt() -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(is_active=True).order_by("priority", "code")


def return_refusal(order: Order) -> str:
    """Why this order takes no return now, in words for the page; "" when it does."""
    policy = return_policy()
    if order.status != OrderStatus.DELIVERED:
        return f"Order {order.number} is {order.get_status_display().lower()}: only delivered orders take returns."
    if not policy.window_open(order.delivered_at):
        return f"The return window of order {order.number} ended {policy.window_ends(order.delivered_at):%d %b %Y}."
    return ""


@dataclass(frozen=True)
class ReturnRow:
    """A return as the customer's order page lists it: with the link to its label once there is one."""

    r: ReturnRequest
    label_path: str


def return_rows_for_customer(*, order: Order) -> list[ReturnRow]:
    return [
        ReturnRow(r=r, label_path=return_label_path(r.number) if r.label_tracking_number else "")
        for r in return_list_for_order(order=order)
    ]
