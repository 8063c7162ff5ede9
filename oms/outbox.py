"""The transactional outbox: side effects leave the transaction only after it commits.

``enqueue`` writes an :class:`OutboxMessage` in the caller's transaction and asks for a relay right after
commit. The relay hands each message to Celery (or, with no broker configured, runs the task in-process)
and marks it dispatched. Messages that could not be handed over stay pending and are retried by the
``relay_outbox_task`` beat job and the ``relay_outbox`` command.
"""

import logging
from collections.abc import Iterable

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from oms.models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *, queue: str = "default", dedupe_key: str | None = None, **kwargs) -> None:
    """Record a task to run after commit. With ``dedupe_key``, a second enqueue of the same key is a no-op."""
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
    transaction.on_commit(lambda: relay(ids=[message.pk]), robust=True)


def relay(*, ids: Iterable[int] | None = None, limit: int = 500) -> int:
    """Hand pending messages to the workers; returns how many were handed over."""
    queryset = OutboxMessage.objects.filter(dispatched_at=None).order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    dispatched = 0
    for pk in list(queryset.values_list("pk", flat=True)[:limit]):
        if _relay_one(pk):
            dispatched += 1
    return dispatched


def _relay_one(pk: int) -> bool:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, dispatched_at=None).first()
        if message is None:
            return False
        message.attempts += 1
        if settings.OMS_TASKS_INLINE:
            # Mark first: a task that enqueues more work must not see this message as pending.
            message.dispatched_at = timezone.now()
            message.save(update_fields=["attempts", "dispatched_at"])
        else:
            try:
                current_app.send_task(message.task_name, kwargs=message.kwargs, queue=message.queue)
            except Exception as exc:  # noqa: BLE001 - any broker failure leaves the message pending
                logger.warning("outbox: could not hand over %s: %s", message, exc)
                message.last_error = str(exc)[:1000]
                message.save(update_fields=["attempts", "last_error"])
                return False
            message.dispatched_at = timezone.now()
            message.save(update_fields=["attempts", "dispatched_at"])
            return True
    _run_inline(message)
    return True


def _run_inline(message: OutboxMessage) -> None:
    current_app.loader.import_default_modules()  # registers the apps' tasks, once
    task = current_app.tasks[message.task_name]
    result = task.apply(kwargs=message.kwargs)
    if result.failed():
        logger.error("outbox: task %s failed in-process: %r", message, result.result)
