"""The reconciler: automatic work whose task was lost is driven on again from what the database says.

A task can die with its worker (``kill -9``, an out-of-memory kill, a machine lost) after its outbox message
was handed over; Redis redelivers an unacknowledged message only after the visibility timeout. So a beat job
looks for orders left waiting on automatic work longer than ``OMS_RECONCILE_AFTER_SECONDS`` and runs the same
idempotent services again: the automatic stages in place, the rest by queueing its task once more. Each
re-drive is written on the order's timeline. A kind of work re-driven ``OMS_RECONCILE_MAX_TRIES`` times
without passing is given up: logged at ERROR, and the order stays in the dashboard's "stuck" queue.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from oms import outbox
from orders.models import Order, OrderEvent
from orders.selectors.waiting import (
    CAPTURE,
    EMAIL,
    KINDS,
    LABEL,
    PAYMENT,
    STAGES,
    VOID,
    Waiting,
    emails_waiting,
    order_ids_waiting,
    orders_waiting,
    shipments_waiting,
)
from orders.services.common import event_record, order_lock
from orders.services.pipeline import auto_stages_run

logger = logging.getLogger(__name__)
ACTOR = "reconciler"
# How many orders of one kind a run looks at: a backlog is worked off over a few runs, not in one long one.
BATCH = 200


@dataclass
class ReconcileReport:
    """What one run drove on (by kind) and gave up on (order numbers)."""

    driven: dict[str, int] = field(default_factory=dict)
    given_up: list[str] = field(default_factory=list)


def orders_reconcile(*, now: datetime | None = None) -> ReconcileReport:
    now = now or timezone.now()
    after = timedelta(seconds=settings.OMS_RECONCILE_AFTER_SECONDS)
    report = ReconcileReport()
    for kind in KINDS:
        order_ids = order_ids_waiting(kind=kind, since_before=now - after, limit=BATCH)
        tries = _tries(order_ids, kind)
        for order_id in order_ids:
            count, last = tries.get(order_id, (0, None))
            if count >= settings.OMS_RECONCILE_MAX_TRIES:
                if count == settings.OMS_RECONCILE_MAX_TRIES:
                    report.given_up.append(_give_up(order_id, kind, count))
                continue
            # Back off: 1, 2, 4 … times the wait between tries of the same work on the same order.
            if last is not None and last > now - after * 2**count:
                continue
            if _drive(order_id, kind, now - after):
                report.driven[kind.code] = report.driven.get(kind.code, 0) + 1
    return report


def _prefix(kind: Waiting) -> str:
    return f"Reconciler [{kind.code}]:"


def _note(kind: Waiting) -> str:
    return f"{_prefix(kind)} {kind.name} did not happen in time; started again"


def _tries(order_ids: list[int], kind: Waiting) -> dict[int, tuple[int, datetime | None]]:
    """Per order: how often ``kind`` was re-driven (or given up: counted one more) and when last."""
    rows = (
        OrderEvent.objects.filter(order_id__in=order_ids, actor=ACTOR, note__startswith=_prefix(kind))
        .values("order_id")
        .annotate(count=Count("pk"), last=Max("at"))
    )
    return {row["order_id"]: (row["count"], row["last"]) for row in rows}


def _drive(order_id: int, kind: Waiting, since_before: datetime) -> bool:
    """Run or queue ``kind`` again for one order; False when it has moved on meanwhile."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        if not orders_waiting(kind=kind, since_before=since_before).filter(pk=order_id).exists():
            return False
        event_record(order=order, actor=ACTOR, note=_note(kind))
        if kind is STAGES:
            auto_stages_run(order=order)
        elif kind is PAYMENT:
            outbox.enqueue("orders.tasks.pay_order_task", queue="payments", order_id=order_id)
        elif kind is CAPTURE:
            outbox.enqueue("orders.tasks.capture_order_payment_task", queue="payments", order_id=order_id)
        elif kind is VOID:
            outbox.enqueue("orders.tasks.cancel_order_payment_task", queue="payments", order_id=order_id)
        elif kind is LABEL:
            for shipment_id in (
                shipments_waiting(since_before=since_before).filter(order_id=order_id).values_list("pk", flat=True)
            ):
                outbox.enqueue("orders.tasks.create_shipment_label_task", queue="carriers", shipment_id=shipment_id)
        elif kind is EMAIL:
            for email in (
                emails_waiting(since_before=since_before).filter(order_id=order_id).values_list("kind", flat=True)
            ):
                outbox.enqueue(
                    "orders.tasks.send_order_email_task", queue="notifications", order_id=order_id, kind=email
                )
    logger.warning("reconciler: order %s was waiting for %s; started it again", order.number, kind.name)
    return True


def _give_up(order_id: int, kind: Waiting, tries: int) -> str:
    with transaction.atomic():
        order = Order.objects.only("number").get(pk=order_id)
        event_record(
            order=order,
            actor=ACTOR,
            note=f"{_prefix(kind)} {kind.name} still not done after {tries} tries; gave up, a person needs to look",
        )
    logger.error("reconciler: order %s still waits for %s after %s tries; gave up", order.number, kind.name, tries)
    return order.number
