"""The transactional outbox: side effects leave the transaction only after it commits.

``enqueue`` writes an :class:`OutboxMessage` in the caller's transaction and asks for a relay right after
commit. The relay hands each message to Celery (or, with no broker configured, runs the task in-process)
and marks it dispatched. Messages that could not be handed over stay pending and are retried by the
``relay_outbox_task`` beat job and the ``relay_outbox`` command.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerConnectionError
from kombu.utils.uuid import uuid

from oms import deferred
from oms.models import OutboxMessage

logger = logging.getLogger(__name__)
# Celery imports the apps' task modules lazily; two threads asking at once must not find them half imported.
_task_import_lock = threading.Lock()


# While ``collected()`` is active, plain enqueues (no dedupe key) are gathered here and written by the caller.
_collecting: ContextVar[list | None] = ContextVar("outbox_collecting", default=None)


@dataclass(frozen=True)
class Message:
    """A task to queue: what ``enqueue_many`` takes."""

    task_name: str
    queue: str
    kwargs: dict


def enqueue(task_name: str, *, queue: str = "default", dedupe_key: str | None = None, **kwargs) -> None:
    """Record a task to run after commit. With ``dedupe_key``, a second enqueue of the same key is a no-op."""
    if dedupe_key is None and (collecting := _collecting.get()) is not None:
        collecting.append(Message(task_name, queue, kwargs))
        return
    if dedupe_key is not None:
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    task_name=task_name, kwargs=kwargs, queue=queue, dedupe_key=dedupe_key
                )
        except IntegrityError:
            return
    else:
        message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs, queue=queue)
    transaction.on_commit(lambda: _relay_fresh(message), robust=True)


def enqueue_many(messages: list[Message], *, after: list[deferred.Statement] | None = None) -> None:
    """Record several tasks (no dedupe keys) in one INSERT, relayed together right after commit, in this order.

    ``after``: writes kept by ``oms.deferred.writes_deferred()``, sent first, in the same statement as the INSERT;
    inside ``oms.deferred.holding()`` that statement is the holder's to send (with writes of its own).
    """
    if (collecting := _collecting.get()) is not None and not after:
        collecting.extend(messages)
        return
    if not messages:
        deferred.run_or_hold(after or [])
        return
    rows = [OutboxMessage(task_name=m.task_name, kwargs=m.kwargs, queue=m.queue) for m in messages]
    if after:

        def stored(ids: list[tuple]) -> None:  # before commit: the relay below reads the primary keys
            for row, (pk,) in zip(rows, ids, strict=True):
                row.pk = pk
                row._state.adding = False

        deferred.run_or_hold(after, final=deferred.insert_sql(rows, returning=True), then=stored)
    else:
        OutboxMessage.objects.bulk_create(rows)
    transaction.on_commit(lambda: _relay_fresh_many(rows), robust=True)


@contextmanager
def collected():
    """Gather the plain enqueues made inside the block into the list it yields, instead of writing each at once:
    the caller writes them with ``enqueue_many`` (in one INSERT, in the order it chooses) before it commits."""
    messages: list[Message] = []
    token = _collecting.set(messages)
    try:
        yield messages
    finally:
        _collecting.reset(token)


def _relay_fresh_many(messages: list[OutboxMessage]) -> None:
    """``_relay_fresh`` for messages written together: one UPDATE marks those the broker took."""
    if settings.OMS_TASKS_INLINE or len(messages) == 1:
        for message in messages:
            _relay_fresh(message)
        return
    sent = []
    for message in messages:
        if (failure := _publish(message)) is not None:
            OutboxMessage.objects.filter(pk=message.pk, dispatched_at=None).update(
                attempts=F("attempts") + 1, last_error=str(failure)[:1000]
            )
        else:
            sent.append(message.pk)
    if sent:
        marks.add(sent)


def _relay_fresh(message: OutboxMessage) -> None:
    """Right after commit, hand over the message just written: no lookup, no lock, one UPDATE.

    The relay job leaves messages younger than ``FRESH_FOR`` to this path, so it is normally the only one
    to send a fresh message. If the process dies between sending and marking, the job sends the message
    again later; every task is safe to run twice.
    """
    if settings.OMS_TASKS_INLINE:
        # Mark first: a task that enqueues more work must not see this message as pending.
        if _mark_dispatched([message.pk]):
            _run_inline(message)
        return
    if (failure := _publish(message)) is not None:
        pending = OutboxMessage.objects.filter(pk=message.pk, dispatched_at=None)
        pending.update(attempts=F("attempts") + 1, last_error=str(failure)[:1000])
        return
    marks.add([message.pk])


class _Marks:
    """Messages the broker took right after their commit, marked dispatched by a thread of this process: one
    UPDATE every ``OMS_OUTBOX_MARK_SECONDS`` for all of them, on the thread's own database connection, instead of
    a statement and a commit after every request that queued work (0: each is marked at once, as it is sent).

    A mark that never lands (the process killed, the database away for longer than ``MAX_KEPT`` marks) only means
    the relay job hands the message over again after ``FRESH_FOR``, which the tasks allow for (at-least-once), and
    which a crash between the hand-over and an immediate mark could always cause. A process exiting normally marks
    what it holds. ``FRESH_FOR`` leaves the thread many rounds before the job would take a message."""

    MAX_KEPT = 100_000
    IDLE_SECONDS = 60  # a thread with nothing to mark for this long ends, and closes its connection

    def __init__(self):
        self._lock = threading.Lock()
        self._ids: list[int] = []
        self._pid = None  # the process that started the thread (a forked child starts its own)

    def add(self, ids: list[int]) -> None:
        interval = settings.OMS_OUTBOX_MARK_SECONDS
        if interval <= 0:
            _mark_dispatched(ids)
            return
        with self._lock:
            if len(self._ids) < self.MAX_KEPT:
                self._ids.extend(ids)
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, args=(interval,), name="outbox-marks", daemon=True).start()

    def flush(self) -> int:
        """Mark what is held now; how many messages were marked."""
        with self._lock:
            ids, self._ids = self._ids, []
        if not ids:
            return 0
        try:
            return _mark_dispatched(ids)
        except Exception:
            with self._lock:  # tried again next round
                self._ids[:0] = ids[: self.MAX_KEPT - len(self._ids)]
            raise

    def _run(self, interval: float) -> None:
        idle = 0.0
        while True:
            time.sleep(interval)
            held = bool(self._ids)
            try:
                close_old_connections()  # this thread's connection, if the database dropped it
                self.flush()
            except Exception:  # noqa: BLE001 - the thread must outlive a database outage
                logger.warning("outbox: could not mark dispatched messages; retrying", exc_info=True)
            idle = 0.0 if held else idle + interval
            if idle >= self.IDLE_SECONDS:
                with self._lock:
                    if not self._ids:  # nothing came meanwhile: the next add() starts a thread again
                        self._pid = None
                        connections.close_all()  # this thread's connections only
                        return


marks = _Marks()


def _marks_reset_in_child() -> None:
    """A forked child starts with no marks and a fresh lock (a thread of the parent may have held it at the fork)."""
    global marks
    marks = _Marks()


os.register_at_fork(after_in_child=_marks_reset_in_child)


@atexit.register
def _marks_flush_at_exit() -> None:
    try:
        marks.flush()
    except Exception as exc:  # noqa: BLE001 - exiting: the relay job hands the messages over again
        logger.warning("outbox: could not mark dispatched messages at exit (the relay job sends them again): %s", exc)


def _mark_dispatched(ids: list[int]) -> int:
    """Mark the messages the broker took (if nobody did meanwhile); how many were marked. Plain SQL: it runs after
    every commit that queued work, and the ORM's UPDATE costs more to build than to run.

    Run on its own (after the commit that queued the messages), on PostgreSQL it commits without waiting for its
    WAL to reach the disk (``synchronous_commit`` off for this one transaction): a mark lost in a crash only
    means the relay job hands the message over again, which the tasks allow for (at-least-once delivery) and
    which a crash between the hand-over and the mark could always cause. The order's own commit still waits."""
    connection = transaction.get_connection()
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f'UPDATE "{OutboxMessage._meta.db_table}" SET "dispatched_at" = %s, "attempts" = "attempts" + 1 '
        f'WHERE "dispatched_at" IS NULL AND "id" IN ({marks})'
    )
    if connection.vendor == "postgresql" and connection.get_autocommit():
        sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"  # one implicit transaction, one round trip
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(timezone.now()), *ids])
        return cursor.rowcount


def _publish(message: OutboxMessage) -> Exception | None:
    """Send the message's task to the broker; the error if the broker did not take it."""
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the message pending
        _producers.drop()  # a broken connection is not kept for the next message
        logger.warning("outbox: could not hand over %s: %s", message, exc)
        return exc
    return None


def _send(message: OutboxMessage) -> None:
    """What ``send_task`` does for the message, in Celery's own steps (``create_task_message``, then
    ``send_task_message``), on a producer this thread keeps: ``send_task`` takes a producer from the pool, looks up
    the routes and the task's options and builds a result object for each call, which cost a third of the
    hand-over, a placement's largest single cost after its statements. The message is the same: Celery's protocol,
    its ids, the lineage of a task that queues another, the publish signals (``send_task_message`` sends them). The
    queue is the message's, as the outbox always names one (no routes are looked up).

    declare=[]: a task goes to its queue by name (the default exchange); declaring the queue and its binding on
    every publish only copied kombu objects, and the workers declare the queues they consume. argsrepr/kwargsrepr:
    what monitoring shows of the call, written here (Celery's saferepr of them cost a tenth of the hand-over); the
    kwargs are a few ids."""
    app = current_app._get_current_object()
    task_id = uuid()
    root_id = parent_id = None
    if (parent := app.current_worker_task) is not None:
        root_id, parent_id = parent.request.root_id or parent.request.id, parent.request.id
    task = app.amqp.create_task_message(
        task_id,
        message.task_name,
        (),
        message.kwargs,
        reply_to=app.thread_oid,
        root_id=root_id,
        parent_id=parent_id,
        ignore_result=None,  # as send_task leaves it: the task's own setting decides
        argsrepr="()",
        kwargsrepr=repr(message.kwargs)[:1024],
    )
    producer = _producers.get(app)
    connection = producer.connection
    try:
        app.amqp.send_task_message(producer, message.task_name, task, queue=message.queue or None, declare=[])
    except BrokerConnectionError:
        raise
    except (*connection.recoverable_connection_errors, *connection.recoverable_channel_errors) as exc:
        # As send_task reports them: the broker's own errors (redis.ConnectionError…) as kombu's OperationalError.
        raise BrokerConnectionError(str(exc)) from exc


class _Producers(threading.local):
    """One producer, on a broker connection of its own, per thread of this process (kombu's connections are not
    shared between threads, and a forked child must not write on its parent's socket). It is replaced when Celery
    replaces its connection pool (after a fork, or a change of broker), as the producers of that pool are."""

    producer = None
    owner = None  # (process id, Celery's connection pool) when the producer was made

    def get(self, app):
        owner = (os.getpid(), app.pool)
        if self.producer is None or self.owner != owner:
            self.drop()
            self.producer = app.amqp.Producer(app.connection_for_write(), auto_declare=False)
            self.owner = owner
        return self.producer

    def drop(self) -> None:
        producer, self.producer = self.producer, None
        if producer is not None and self.owner[0] == os.getpid():
            try:
                producer.connection.release()
            except Exception:  # noqa: BLE001 - the connection is broken already
                pass


_producers = _Producers()


# How long a new message is left to the after-commit relay before the relay job takes it.
FRESH_FOR = timedelta(seconds=30)


def relay(*, ids: Iterable[int] | None = None, limit: int = 500, older_than: timedelta | None = None) -> int:
    """Hand pending messages to the workers; returns how many were handed over.

    ``older_than`` skips messages younger than that (the beat job passes ``FRESH_FOR``).
    """
    queryset = OutboxMessage.objects.filter(dispatched_at=None).order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    if older_than is not None:
        queryset = queryset.filter(created_at__lt=timezone.now() - older_than)
    pending = list(queryset.values_list("pk", flat=True)[:limit])
    dispatched = 0
    for pk in pending:
        try:
            if _relay_one(pk):
                dispatched += 1
        except BrokerUnavailable:
            # The next messages would fail the same way, each after its own timeout: leave them for the next run.
            break
    return dispatched


class BrokerUnavailable(Exception):
    """The broker did not take a message; the message stays pending with the error."""


def _relay_one(pk: int) -> bool:
    """Hand one message over; False when another relay has (or had) it. Raises BrokerUnavailable."""
    inline = settings.OMS_TASKS_INLINE
    failure = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, dispatched_at=None).first()
        if message is None:
            return False
        message.attempts += 1
        if inline:
            # Mark first: a task that enqueues more work must not see this message as pending.
            message.dispatched_at = timezone.now()
            message.save(update_fields=["attempts", "dispatched_at"])
        else:
            if (exc := _publish(message)) is not None:
                message.last_error = str(exc)[:1000]
                message.save(update_fields=["attempts", "last_error"])
                if not isinstance(exc, BrokerConnectionError | OSError):
                    return False  # this message's own problem (it cannot be encoded, say): go on with the next
                failure = exc
            else:
                message.dispatched_at = timezone.now()
                message.save(update_fields=["attempts", "dispatched_at"])
                return True
    if failure is not None:
        raise BrokerUnavailable(str(failure)) from failure
    _run_inline(message)
    return True


def _run_inline(message: OutboxMessage) -> None:
    if message.task_name not in current_app.tasks:
        # Registers the apps' tasks. Only when needed: with Celery's Django fixup it also reruns Django's checks.
        with _task_import_lock:
            if message.task_name not in current_app.tasks:
                current_app.loader.import_default_modules()
    task = current_app.tasks[message.task_name]
    result = task.apply(kwargs=message.kwargs)
    if result.failed():
        logger.error("outbox: task %s failed in-process: %r", message, result.result)


def outbox_purge(*, now=None) -> int:
    """Delete messages handed over more than ``OMS_OUTBOX_RETENTION_DAYS`` ago; how many went.

    Pending messages are never purged. A dispatched email message's dedupe key is what keeps a second
    enqueue of the same email a no-op, so the retention must outlast any reason to queue that email again;
    the notification row (kept forever) is what stops a second send.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.OMS_OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted
