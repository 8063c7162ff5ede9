"""A worker killed with SIGKILL in the middle of a burst loses nothing: every order is confirmed, once.

Redis hands an unacknowledged message back only after the visibility timeout (hours), so the task the dead
worker held would wait that long. The reconciler, run by beat in the new worker, reads from the database
what is still to do and drives it on.
"""

import json
import signal

import pytest

from orders.models import Notification, Order, OrderStatus
from tests.factories import OrderFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BURST = 30
SLOW_MAIL = {"EMAIL_BACKEND": "tests.oms.tasks.slow_mail.EmailBackend"}
RECONCILER = {"OMS_RECONCILE_AFTER_SECONDS": "10", "OMS_RECONCILE_EVERY_SECONDS": "3"}


def test_orders_survive_a_worker_killed_mid_burst(reference_data, mug, start_worker, broker):
    # given a worker busy with a burst of orders
    first = start_worker(env=SLOW_MAIL)
    orders = [OrderFactory(lines=[("MUG-1", 1)]) for _ in range(BURST)]
    first.wait_for(
        lambda: Notification.objects.filter(kind="confirmation", sent_at__isnull=False).count() >= 5,
        timeout=60,
        what="the first confirmations",
    )

    # when it is killed outright while holding a task (an email, slow to send), and a new worker (with beat) starts
    held = first.wait_for(lambda: _killed_holding_a_task(first, broker), timeout=30, what="a task in its hands")
    assert held, "the dead worker held no task"
    second = start_worker(env=RECONCILER, beat=True)

    # then within two minutes every order is confirmed with exactly one confirmation email
    ids = [o.pk for o in orders]
    second.wait_for(
        lambda: (
            Notification.objects.filter(order_id__in=ids, kind="confirmation", sent_at__isnull=False).count() == BURST
        ),
        timeout=120,
        what="every order's confirmation",
    )
    assert set(Order.objects.filter(pk__in=ids).values_list("status", flat=True)) == {OrderStatus.CONFIRMED}
    subjects = second.mail_subjects()
    for order in orders:
        assert subjects.count(f"Order {order.number} confirmed") == 1, order.number


def _killed_holding_a_task(worker, broker) -> list:
    """Freeze the worker (SIGSTOP: it can neither finish nor acknowledge what it holds) and, if it holds a task,
    kill it there; the headers of what it held, or [] (and it runs on) if it held nothing at that instant."""
    worker.process.send_signal(signal.SIGSTOP)
    held = [json.loads(message)[0]["headers"] for message in broker.redis.hvals(f"{broker.prefix}unacked")]
    if held:
        worker.kill()
    else:
        worker.process.send_signal(signal.SIGCONT)
    return held
