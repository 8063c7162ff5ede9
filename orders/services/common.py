"""Pieces every order use case shares: locking, events, the payment summary, the outbox names."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction
from django.db.models import Model
from django.utils import timezone

from oms import deferred, outbox
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


class _Batch:
    """What a batched use case has done to one order and not yet written: its lifecycle fields, its events."""

    def __init__(self, order: Order, unsaved: list[list[Model]]):
        self.order = order
        self.events: list[OrderEvent] = []
        self.order_changed = False
        self.writes: list[deferred.Statement] = []  # plain writes of the use case, sent with the order's own
        # New rows (the order itself among them) inserted at the first flush, as they stand then.
        self.unsaved = [rows for rows in unsaved if rows]


_batch: ContextVar[_Batch | None] = ContextVar("order_events_batch", default=None)


def _batch_of(order: Order) -> _Batch | None:
    batch = _batch.get()
    return batch if batch is not None and batch.order is order else None


@contextmanager
def order_events_batched(order: Order, *, unsaved: list[list[Model]] | None = None):
    """Write what the block does to ``order`` at its end, in as few statements as there are kinds of change.

    Inside the block ``transition_apply`` changes the order without saving it and ``event_record`` keeps the
    event; at the end the order is saved once, the events are inserted in one statement (in the order they
    were recorded, each with the time it was recorded) and ``OMS_ORDER_EVENT_HOOKS`` run once with all of
    them. The tasks queued meanwhile (the outbox, without a dedupe key) are written together after the hooks'
    own, in one INSERT. On PostgreSQL the order's UPDATE, the events' INSERT, the hooks' plain writes (the
    reports' mark) and that INSERT go as one statement (``oms.deferred``). For a use case that takes several
    steps at once (placement), in its transaction; a step that must read its events back calls
    ``order_events_flush`` first.

    ``unsaved``: new rows not stored yet, the order among them (placement with ids drawn beforehand): they are
    inserted as they stand at the first flush, the order in its final state, so the order and its lines are
    written once instead of inserted and then updated (a hold that flushes early inserts them then). Until then
    nothing may read them back or update them in place: a stage that must do so (the on-account credit check,
    which reserves against the payment row) flushes first.
    """
    assert _batch.get() is None, "order_events_batched does not nest"
    batch = _Batch(order, unsaved or [])
    token = _batch.set(batch)
    try:
        with outbox.collected() as queued:
            yield
        with outbox.collected() as hooks_queued, deferred.writes_deferred() as writes:
            order_events_flush(order)
    finally:
        _batch.reset(token)
    outbox.enqueue_many(hooks_queued + queued, after=writes)


def order_events_flush(order: Order) -> None:
    """Write the order and the events a batch holds for it now (nothing outside a batch)."""
    batch = _batch_of(order)
    if batch is None:
        return
    if batch.unsaved:
        inserts = [deferred.insert_sql(rows) for rows in batch.unsaved]
        if deferred.active():
            for statement in inserts:
                deferred.write(*statement)
        else:
            deferred.run(inserts)
        for rows in batch.unsaved:
            for row in rows:
                row._state.adding, row._state.db = False, order._state.db or DEFAULT_DB_ALIAS
        batch.unsaved = []
        batch.order_changed = False  # its INSERT holds its state as it stands
        order._update_initial_state()  # the status stored, which a later save(update_fields) expects to find
    if batch.order_changed:
        if deferred.active():
            deferred.write(*deferred.update_sql(order, LIFECYCLE_FIELDS))
            order._update_initial_state()
        else:
            order.save(update_fields=LIFECYCLE_FIELDS)
        batch.order_changed = False
    writes, batch.writes = batch.writes, []
    for statement in writes:
        deferred.write(*statement)
    events, batch.events = batch.events, []
    if events:
        if deferred.active():
            deferred.write(*deferred.insert_sql(events))  # their ids are not read: no RETURNING
        else:
            OrderEvent.objects.bulk_create(events)
        order_event_hooks_run(*events)


def order_writes_later(order: Order, statements: list[deferred.Statement]) -> None:
    """Plain writes (no result read) of a use case on ``order``: in a batch, sent with the batch's final writes
    (one statement on PostgreSQL); otherwise now."""
    if (batch := _batch_of(order)) is not None:
        batch.writes.extend(statements)
        return
    deferred.run(statements)


def event_record(
    *,
    order: Order,
    actor: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    contents_changed: bool = False,
) -> OrderEvent:
    """Add an entry to the order's timeline (kept for the batch's end inside ``order_events_batched``) and hand
    it to ``OMS_ORDER_EVENT_HOOKS``. ``contents_changed``: the entry records a change of the order's lines or
    totals (the hooks read it as ``event.contents_changed``; it is not stored)."""
    event = OrderEvent(
        order=order, at=timezone.now(), actor=actor[:150], from_status=from_status, to_status=to_status, note=note
    )
    event.contents_changed = contents_changed
    if (batch := _batch_of(order)) is not None:
        batch.events.append(event)
        return event
    event.save(force_insert=True)
    order_event_hooks_run(event)
    return event


def transition_apply(order: Order, name: str, *, actor: str, note: str = "", **kwargs) -> OrderEvent:
    """Run the transition ``name`` on a locked order, save it and record the event."""
    before = order.status
    getattr(order, name)(**kwargs)
    if (batch := _batch_of(order)) is not None:
        batch.order_changed = True
    else:
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
