"""A broker outage delays queued work but loses none, and never holds up the request that queued it.

While the broker is down (nothing listens) or hangs (it accepts connections and never answers), placing
an order still answers 201 in bounded time; its payment task stays in the outbox, pending, with the
error; once the broker is back, the relay hands it over.
"""

import socket
import time

import pytest
from kombu.exceptions import EncodeError

from oms import outbox
from oms.celery import app
from oms.models import OutboxMessage
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # port 1: connections are refused at once


@pytest.fixture
def hung_broker_url():
    """A port that accepts TCP connections (into the listen backlog) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


def _place(api, order_body, commit):
    started = time.monotonic()
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    return response, time.monotonic() - started


def test_order_placed_while_the_broker_is_down_is_relayed_when_it_is_back(
    api, mug, order_body, commit, settings, broker
):
    # given the broker is down
    settings.OMS_TASKS_INLINE = False
    broker.publish_to(DEAD_BROKER)

    # when a storefront places an order
    response, elapsed = _place(api, order_body, commit)

    # then the order is taken at once, and its payment task waits in the outbox with the error
    assert response.status_code == 201, response.content
    assert elapsed < 3
    order = Order.objects.get(number=response.json()["number"])
    assert order.status == OrderStatus.CREDIT_APPROVED
    message = OutboxMessage.objects.get(task_name="orders.tasks.pay_order_task")
    assert (message.dispatched_at, message.attempts, message.kwargs) == (None, 1, {"order_id": order.pk})
    assert "refused" in message.last_error.lower()

    # when the broker is back and the relay runs
    broker.publish_to()
    relayed = outbox.relay()

    # then the payment task is on its queue
    assert relayed == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert message.attempts == 2
    assert broker.queue_length("payments") == 1


def test_a_hung_broker_costs_a_request_seconds_not_forever(
    api, mug, order_body, commit, settings, broker, hung_broker_url
):
    # given a broker that accepts connections and never answers
    settings.OMS_TASKS_INLINE = False
    broker.publish_to(hung_broker_url)

    # when a storefront places an order
    response, elapsed = _place(api, order_body, commit)

    # then the answer comes within the socket timeout, and the task waits in the outbox
    assert response.status_code == 201, response.content
    assert elapsed < 12
    message = OutboxMessage.objects.get(task_name="orders.tasks.pay_order_task")
    assert message.dispatched_at is None
    assert message.last_error


def test_relay_stops_at_the_first_message_the_broker_refuses(settings, broker, db):
    # given three pending messages and a broker that is down
    settings.OMS_TASKS_INLINE = False
    broker.publish_to(DEAD_BROKER)
    messages = [OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task") for _ in range(3)]

    # when the relay runs
    relayed = outbox.relay()

    # then it tried the first one only: the others would have failed the same way, each after a timeout
    assert relayed == 0
    assert [OutboxMessage.objects.get(pk=m.pk).attempts for m in messages] == [1, 0, 0]


def test_a_message_the_broker_cannot_take_does_not_hold_up_the_others(settings, broker, db, monkeypatch):
    # given a message that cannot be encoded, queued before one that can, and a broker that is up
    settings.OMS_TASKS_INLINE = False
    poison = OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task", kwargs={"poison": True})
    fine = OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task", queue="default")
    send_task_message = app.amqp.send_task_message

    def refuse_poison(producer, name, message, **options):
        if message.body[1].get("poison"):
            raise EncodeError("cannot encode this message")
        return send_task_message(producer, name, message, **options)

    monkeypatch.setattr(app.amqp, "send_task_message", refuse_poison)

    # when the relay runs
    relayed = outbox.relay()

    # then the poison message waits with its error and the next one is handed over
    assert relayed == 1
    poison.refresh_from_db()
    fine.refresh_from_db()
    assert (poison.dispatched_at, poison.attempts, poison.last_error) == (None, 1, "cannot encode this message")
    assert fine.dispatched_at is not None
    assert broker.queue_length("default") == 1
