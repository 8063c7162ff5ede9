"""A real worker runs the pipeline queued through the outbox, and a task run twice emails once.

The order is placed in this process; the outbox hands its payment task to Redis after the commit; a
worker process (the project's Celery app, every queue) pays and confirms the order and sends the
confirmation. The same email task queued a second time must not send a second message.
"""

import pytest

from orders.models import Notification, OrderStatus
from orders.tasks import send_order_email_task
from tests.factories import OrderFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_worker_confirms_the_order_and_a_repeated_email_task_sends_nothing(reference_data, mug, celery_worker):
    # given an order placed here: its payment goes to the broker, not to an in-process run
    order = OrderFactory(lines=[("MUG-1", 2)])

    # when the worker pays it, confirms it and sends the confirmation
    celery_worker.wait_for(
        lambda: Notification.objects.filter(order=order, kind="confirmation", sent_at__isnull=False).exists(),
        timeout=30,
        what=f"order {order.number} to be confirmed and its confirmation sent",
    )
    # and the confirmation email task is queued a second time
    duplicate = send_order_email_task.apply_async(kwargs={"order_id": order.pk, "kind": "confirmation"})
    celery_worker.wait_until_processed(duplicate.id)

    # then the worker confirmed the order, and its customer got exactly one confirmation
    assert "orders.tasks.pay_order_task[" in celery_worker.log_text()
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.payment_status == "authorized"
    subject = f"Order {order.number} confirmed"
    assert celery_worker.mail_subjects().count(subject) == 1, celery_worker.mail_subjects()
    assert order.events.filter(note="Emailed the customer: confirmation").count() == 1
