"""A worker killed with SIGKILL in the middle of sending a webhook loses nothing: the delivery row says it is
still to send, and the beat job in another worker sends it once the dead worker's claim runs out."""

import threading

import pytest

from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_subscription_create

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {
    "OMS_WEBHOOK_ALLOW_PRIVATE_URLS": "1",
    "OMS_WEBHOOK_TIMEOUT_SECONDS": "2",  # an attempt holds its delivery 12 s
    "OMS_WEBHOOK_SEND_EVERY_SECONDS": "1",
}


def test_a_delivery_survives_a_worker_killed_mid_send(
    reference_data, mug, storefront, settings, receiver, start_worker
):
    # given a subscription, and a worker sending its first event to a receiver that holds the request
    settings.OMS_WEBHOOK_ALLOW_PRIVATE_URLS = True
    webhook_subscription_create(storefront=storefront, url=receiver.url, events=["order.created"])
    gate = receiver.gate = threading.Event()
    first = start_worker(env=WORKER_ENV)
    order = OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    first.wait_for(lambda: receiver.held, timeout=60, what="the worker to send the event")

    # when the worker is killed outright while it waits for the answer, and another worker (with beat) starts
    first.kill()
    receiver.answers = [503]  # the held request's answer, which nobody reads now
    gate.set()
    second = start_worker(env=WORKER_ENV, beat=True)

    # then the event is delivered once the dead worker's claim ran out
    second.wait_for(
        lambda: WebhookDelivery.objects.filter(status="delivered").exists(), timeout=60, what="the redelivery"
    )
    delivered = [p for p in receiver.delivered() if p["data"]["order"]["number"] == order.number]
    assert [p["type"] for p in delivered] == ["order.created"]
