"""With Redis down when an order changes, its webhook is not lost: the delivery row waits in the database and
the beat job sends it once it runs again."""

import pytest

from oms.models import OutboxMessage
from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_deliveries_send_due

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # port 1: connections are refused at once


def test_an_event_queued_while_the_broker_is_down_is_sent_by_the_beat_job(
    commit, mug, storefront, subscribe, receiver, settings, broker
):
    # given a subscription, and the broker down when an order is placed
    subscribe(events=["order.created"])
    settings.OMS_TASKS_INLINE = False
    broker.publish_to(DEAD_BROKER)
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    assert OutboxMessage.objects.filter(task_name__startswith="webhooks.", dispatched_at=None).exists()
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"

    # when the beat job runs once things work again (here: in-process)
    settings.OMS_TASKS_INLINE = True
    with commit():
        webhook_deliveries_send_due()

    # then the event is delivered, once
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert [p["type"] for p in receiver.payloads()] == ["order.created"]
