"""Orders waiting on automatic work: what the reconciler drives on again and what the "stuck" queue shows.

The database is the truth about what is still to do. Each kind of automatic work leaves a mark while it is
not done — an order resting in a stage that a task moves it out of, an uncaptured payment on a shipped order,
a parcel without its label, an email due but not sent — and each mark has a time from which it waits.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from oms.reads_together import listed, read_together
from orders.models import Notification, Order, OrderStatus
from shipping.models import Shipment

S = OrderStatus
SHIPPED_STATES = (S.SHIPPED, S.IN_TRANSIT, S.DELIVERED, S.COMPLETED)
# Payment states a cancelled order must not keep: an authorization to void, funds to hand back.
UNSETTLED_AFTER_CANCEL = ("pending", "awaiting_funds", "authorized", "captured")


@dataclass(frozen=True)
class Waiting:
    """One kind of automatic work: ``name`` (the timeline says it), and the rows waiting for it since before
    a moment, by order."""

    code: str
    name: str


STAGES = Waiting("stages", "the automatic stages")
PAYMENT = Waiting("payment", "the payment")
CAPTURE = Waiting("capture", "the payment capture")
VOID = Waiting("void", "voiding the payment")
LABEL = Waiting("label", "the shipping label")
EMAIL = Waiting("email", "a customer email")
KINDS = (STAGES, PAYMENT, CAPTURE, VOID, LABEL, EMAIL)


def orders_waiting(*, kind: Waiting, since_before: datetime) -> QuerySet[Order]:
    """Orders waiting for ``kind`` of work since before ``since_before`` (labels and emails: see below)."""
    orders = Order.objects.all()
    if kind is STAGES:
        return orders.filter(status__in=(S.PLACED, S.VERIFIED, S.PAID), updated_at__lt=since_before)
    if kind is PAYMENT:
        return orders.filter(status=S.CREDIT_APPROVED, payment_status="pending", updated_at__lt=since_before)
    if kind is CAPTURE:
        return orders.filter(
            status__in=SHIPPED_STATES, payment_method="card", payment_status="authorized", shipped_at__lt=since_before
        )
    if kind is VOID:
        return orders.filter(
            status=S.CANCELLED, payment_status__in=UNSETTLED_AFTER_CANCEL, cancelled_at__lt=since_before
        )
    if kind is LABEL:
        return orders.filter(Exists(shipments_waiting(since_before=since_before).filter(order_id=OuterRef("pk"))))
    return orders.filter(Exists(emails_waiting(since_before=since_before).filter(order_id=OuterRef("pk"))))


def shipments_waiting(*, since_before: datetime) -> QuerySet[Shipment]:
    """Parcels still without their label."""
    return Shipment.objects.filter(status=Shipment.Status.LABEL_PENDING, created_at__lt=since_before)


def emails_waiting(*, since_before: datetime) -> QuerySet[Notification]:
    """Customer emails queued but neither sent, skipped nor given up."""
    return Notification.objects.filter(closed_at=None, created_at__lt=since_before)


def _ids_waiting(*, kind: Waiting, since_before: datetime) -> QuerySet:
    """The ids of the orders waiting for ``kind``, oldest id first, read from where its mark is indexed: the
    order's state, or the parcel and email rows themselves (never a scan of every order); an order may come
    more than once (several parcels or emails)."""
    if kind is LABEL:
        return shipments_waiting(since_before=since_before).order_by("order_id").values_list("order_id", flat=True)
    if kind is EMAIL:
        return emails_waiting(since_before=since_before).order_by("order_id").values_list("order_id", flat=True)
    return orders_waiting(kind=kind, since_before=since_before).order_by("pk").values_list("pk", flat=True)


def _first_ids(ids: list[int], limit: int) -> list[int]:
    return list(dict.fromkeys(sorted(ids)))[:limit]


def order_ids_waiting(*, kind: Waiting, since_before: datetime, limit: int) -> list[int]:
    """The ids of up to ``limit`` orders waiting for ``kind``, oldest id first."""
    return _first_ids(list(_ids_waiting(kind=kind, since_before=since_before)[: limit * 4]), limit)


def orders_stuck(*, since_before: datetime, limit: int = 1000) -> QuerySet[Order]:
    """Orders that automatic work has left behind: waiting for any kind since before ``since_before``, or
    with a customer email given up on after its last retry (while the order is still open). Each kind is read
    on its own, through its own index, and the ids put together (at most ``limit`` per kind); all the reads
    go to the database in one statement."""
    reads = [_ids_waiting(kind=kind, since_before=since_before)[: limit * 4] for kind in KINDS]
    failed = Notification.objects.filter(failed_at__isnull=False).values_list("order_id", flat=True)[:limit]
    open_failed = Order.objects.filter(pk__in=failed).exclude(status__in=(S.COMPLETED, S.CANCELLED))
    *waiting, given_up = read_together([*map(listed, reads), listed(open_failed.values_list("pk", flat=True))])
    ids = {order_id for found in waiting for order_id in _first_ids(found, limit)}
    ids.update(given_up)
    return Order.objects.filter(pk__in=sorted(ids))
