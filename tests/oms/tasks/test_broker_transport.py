"""Tasks reach Redis through the app's own transport (oms/broker.py), which publishes through one redis-py
client per channel instead of building one per message, and keeps working when its pool is replaced."""

import json

import pytest

from oms.broker import Channel
from oms.celery import app

pytestmark = pytest.mark.skipif(
    not app.conf.broker_url or not app.conf.broker_url.startswith("redis://"), reason="needs the Redis broker"
)


def _publish(n: int) -> None:
    app.send_task("orders.tasks.order_payment_authorize", kwargs={"order_id": n}, queue="payments")


def _queued(broker) -> list[dict]:
    return [json.loads(raw) for raw in broker.redis.lrange(f"{broker.prefix}payments", 0, -1)]


def test_the_app_publishes_through_its_own_redis_transport(broker):
    broker.publish_to()
    with app.connection_for_write() as connection:
        assert type(connection.transport).__module__ == "oms.broker"


def test_messages_published_one_after_another_share_one_client_and_all_arrive(broker):
    # given the app publishing to the test Redis
    broker.publish_to()
    clients = []
    original = Channel._create_client

    def counting(channel, asynchronous=False):
        client = original(channel, asynchronous)
        if not asynchronous:  # the consuming client (BRPOP) is kombu's own, one per channel anyway
            clients.append(client)
        return client

    Channel._create_client = counting
    try:
        # when three tasks are published
        for n in range(3):
            _publish(n)
    finally:
        Channel._create_client = original

    # then all three are queued, in order, as Celery messages naming the task
    queued = _queued(broker)
    assert [m["headers"]["task"] for m in queued] == ["orders.tasks.order_payment_authorize"] * 3
    assert len(queued) == 3
    # and one redis-py client published them all
    assert len(clients) == 1


def test_publishing_goes_on_after_the_pools_are_replaced(broker):
    # given a task published, then the connection pools dropped (as after a fork or a reconnect)
    broker.publish_to()
    _publish(1)
    app._after_fork()

    # when another task is published
    _publish(2)

    # then both are queued
    assert broker.queue_length("payments") == 2
