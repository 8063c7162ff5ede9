"""The outbox keeps one broker connection per thread for its hand-overs; a broker restart must not strand it.

After Redis restarts (killed, nothing saved), the kept connection is dead. The next hand-over reconnects and goes
through at once: the message is not left to the relay job, and no message is lost or sent twice.
"""

import base64
import json
import shutil
import socket
import subprocess
import time

import pytest
import redis

from oms import outbox
from oms.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Redis:
    """A redis-server of this test's own, which it can kill and start again on the same port."""

    def __init__(self, port: int, prefix: str):
        self.port, self.prefix = port, prefix
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def queued(self, queue: str) -> list[bytes]:
        return redis.Redis.from_url(self.url).lrange(f"{self.prefix}{queue}", 0, -1)


@pytest.fixture
def own_redis(broker):
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    server = _Redis(_free_port(), broker.prefix)  # the app publishes under the test's key prefix
    server.start()
    broker.publish_to(server.url)
    yield server
    if server.process.poll() is None:
        server.kill()


def _hand_over(**kwargs) -> OutboxMessage:
    message = OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task", queue="default", kwargs=kwargs)
    assert outbox._publish(message) is None
    return message


def _kwargs(queued: bytes) -> dict:
    """The task's keyword arguments in a queued Celery message (protocol 2: body = [args, kwargs, embed])."""
    return json.loads(base64.b64decode(json.loads(queued)["body"]))[1]


def test_after_a_broker_restart_the_next_message_goes_through_at_once(settings, own_redis):
    # given a hand-over on the kept connection
    settings.OMS_TASKS_INLINE = False
    _hand_over(n=1)
    assert len(own_redis.queued("default")) == 1

    # when Redis dies (losing what it held) and comes back on the same port
    own_redis.kill()
    own_redis.start()
    assert own_redis.queued("default") == []

    # then the next message is taken by the new Redis, once
    _hand_over(n=2)
    queued = own_redis.queued("default")
    assert [_kwargs(message) for message in queued] == [{"n": 2}]


def test_while_the_broker_is_down_the_message_waits_and_the_one_after_its_return_goes_through(settings, own_redis):
    # given the kept connection, and Redis gone
    settings.OMS_TASKS_INLINE = False
    _hand_over(n=1)
    own_redis.kill()

    # when a message is handed over while it is down
    waiting = OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task", queue="default")
    error = outbox._publish(waiting)

    # then the broker's error comes back (the message stays pending for the relay)
    assert error is not None

    # and once Redis is back, the next hand-over goes through
    own_redis.start()
    _hand_over(n=3)
    assert [_kwargs(message) for message in own_redis.queued("default")] == [{"n": 3}]
