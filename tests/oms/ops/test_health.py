"""/health/: 200 while the database answers; its figures only for monitoring (token) and managers."""

from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from oms.celery import QUEUES
from oms.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """The test Redis as the broker, tasks queued there instead of run in-process; its queues empty before
    and after."""
    settings.OMS_TASKS_INLINE = False
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(*QUEUES)
    yield client
    client.delete(*QUEUES)


def test_anyone_gets_the_status_and_nothing_more(client):
    answer = client.get("/health/")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert "no-cache" in answer["Cache-Control"]


def test_monitoring_with_the_token_gets_the_figures(client, settings, broker):
    settings.OMS_HEALTH_TOKEN = "s3cret-token"
    broker.rpush("payments", b"{}", b"{}", b"{}")

    answer = client.get("/health/", HTTP_AUTHORIZATION="Bearer s3cret-token")

    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["queues"]["payments"] == 3
    assert body["outbox_backlog"] == 0
    assert body["replica"] == "none"


def test_a_wrong_token_gets_only_the_status(client, settings):
    settings.OMS_HEALTH_TOKEN = "s3cret-token"

    answer = client.get("/health/", HTTP_AUTHORIZATION="Bearer guess")

    assert answer.json() == {"status": "ok"}


def test_an_old_outbox_backlog_reads_as_degraded(client, settings):
    settings.OMS_HEALTH_TOKEN = "t"
    message = OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task", queue="default", kwargs={})
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    body = client.get("/health/", HTTP_AUTHORIZATION="Bearer t").json()

    assert body["status"] == "degraded"
    assert body["outbox_backlog"] == 1
    assert body["outbox_oldest_seconds"] >= 600
    assert any("outbox" in problem for problem in body["problems"])


def test_a_broker_that_does_not_answer_reads_as_degraded_not_down(client, settings):
    settings.OMS_TASKS_INLINE = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.OMS_HEALTH_TOKEN = "t"

    answer = client.get("/health/", HTTP_AUTHORIZATION="Bearer t")

    # the web keeps taking orders (work waits in the outbox): not a reason to take it out of the balancer
    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"
    assert answer.json()["broker"] == "down"


def test_a_long_queue_reads_as_degraded(client, settings, broker):
    settings.OMS_HEALTH_TOKEN = "t"
    settings.OMS_HEALTH_QUEUE_WARN = 2
    broker.rpush("payments", b"{}", b"{}")

    body = client.get("/health/", HTTP_AUTHORIZATION="Bearer t").json()

    assert body["status"] == "degraded"
    assert body["problems"] == ["2 tasks wait in the payments queue."]


@pytest.mark.parametrize(("role", "sees"), [("manager", True), ("order desk", False), ("warehouse", False)])
def test_the_home_page_shows_the_system_to_managers(staff_client, role, sees):
    page = staff_client(role).get("/dashboard/")

    assert ('id="system"' in page.content.decode()) is sees
