"""Pieces every order use case shares: locking, events, the payment summary, the outbox names."""

from django.db import OperationalError, transaction
from django.utils import timezone

from oms import outbox
from orders.event_hooks import order_event_hooks_run
from orders.exceptions import OrderBusy, OrderNotFound
from orders.models import Notification, Order, OrderEvent

SYSTEM = "system"
# What transitions (and the payment summary that travels with them) change; saving only these keeps the
# UPDATE small on the placement path, which takes several transitions in one request.
PAYMENT_SUMMARY_FIELDS = ["payment_status", "amount_authorized", "amount_captured", "amount_refunded"]
# PostgreSQL's SQLSTATE for "could not obtain lock" (lock_not_available), which a NOWAIT lock raises.
LOCK_NOT_AVAILABLE = "55P03"
LIFECYCLE_FIELDS = [
    "status",
    "hold_reason",
    "hold_note",
    "held_from",
    "shipped_at",
    "delivered_at",
    "completed_at",
    "cancelled_at",
    *PAYMENT_SUMMARY_FIELDS,
    "updated_at",
]


def order_lock(*, order_id: int, nowait: bool = False) -> Order:
    """Lock the order row for the rest of the transaction.

    ``nowait`` is for requests made by people: a second request on a busy order fails at once with
    ``OrderBusy`` (409 "busy" in the API, "try again" on a page) instead of queueing behind the first.
    """
    assert transaction.get_connection().in_atomic_block, "order_lock needs a transaction"
    try:
        order = Order.objects.select_for_update(nowait=nowait, of=("self",)).filter(pk=order_id).first()
    except OperationalError as error:
        if not _lock_refused(error):
            raise
        raise OrderBusy("Another request is changing this order right now; retry shortly.") from error
    if order is None:
        raise OrderNotFound("No such order.")
    return order


def _lock_refused(error: OperationalError) -> bool:
    """The database refused a NOWAIT lock because another transaction holds the row (any other error is real)."""
    cause = error.__cause__
    return (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) == LOCK_NOT_AVAILABLE


def event_record(*, order: Order, actor: str, from_status: str = "", to_status: str = "", note: str = "") -> OrderEvent:
    event = OrderEvent.objects.create(
        order=order, at=timezone.now(), actor=actor[:150], from_status=from_status, to_status=to_status, note=note
    )
    order_event_hooks_run(event)
    return event


def transition_apply(order: Order, name: str, *, actor: str, note: str = "", **kwargs) -> OrderEvent:
    """Run the transition ``name`` on a locked order, save it and record the event."""
    before = order.status
    getattr(order, name)(**kwargs)
    order.save(update_fields=LIFECYCLE_FIELDS)
    return event_record(order=order, actor=actor, from_status=before, to_status=order.status, note=note)


def payment_summary_sync(order: Order, payment) -> None:
    """Copy the payment's figures onto the order (saved with the order's next save)."""
    order.payment_status = payment.status
    order.amount_authorized = payment.authorized_amount
    order.amount_captured = payment.captured_amount
    order.amount_refunded = payment.refunded_amount


def notify(order: Order, kind: str) -> None:
    """Queue the customer email ``kind`` for this order; at most once per order and kind.

    The notification row written beside the outbox message says the email is due until it is sent: if the
    task is lost (a worker killed mid-run), the reconciler finds the row and queues the email again.
    """
    outbox.enqueue(
        "orders.tasks.send_order_email_task",
        queue="notifications",
        dedupe_key=f"email:{order.pk}:{kind}",
        order_id=order.pk,
        kind=kind,
    )
    Notification.objects.bulk_create([Notification(order_id=order.pk, kind=kind)], ignore_conflicts=True)
