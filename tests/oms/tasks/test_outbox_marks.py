"""Messages handed to the broker right after their commit are marked dispatched by a thread of the process, all
those of a round in one UPDATE: within about a second, so the relay job never hands them over again; a mark that
did not land leaves the message to the job, which hands it over again."""

import os
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oms import outbox
from oms.models import OutboxMessage
from tests.oms.tasks.conftest import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the relay's broker tests run on PostgreSQL"),
]


@pytest.fixture
def marking(settings, monkeypatch):
    """The production marking: a thread, every 0.2 s here; it ends (closing its connection) after the test."""
    settings.OMS_TASKS_INLINE = False
    settings.OMS_OUTBOX_MARK_SECONDS = 0.2
    monkeypatch.setattr(outbox._Marks, "IDLE_SECONDS", 0.4)
    marks = outbox._Marks()
    monkeypatch.setattr(outbox, "marks", marks)
    yield marks
    wait_for(lambda: marks._pid is None, timeout=10, what="the marking thread to end")


def _messages(n: int) -> list[OutboxMessage]:
    return [
        OutboxMessage.objects.create(task_name="oms.tasks.relay_outbox_task", queue="default", kwargs={})
        for _ in range(n)
    ]


def test_messages_handed_over_are_marked_within_a_round_without_a_statement_of_their_own(broker, marking):
    # given three messages committed
    messages = _messages(3)

    # when they are handed over after their commits, as each request's relay does
    with CaptureQueriesContext(connections["default"]) as on_this_connection:
        outbox._relay_fresh_many(messages[:2])
        outbox._relay_fresh(messages[2])

    # then the broker has them, no request ran a statement to mark them, and they are marked a moment later
    assert broker.queue_length("default") == 3
    assert on_this_connection.captured_queries == []
    wait_for(
        lambda: OutboxMessage.objects.filter(dispatched_at=None).count() == 0, timeout=5, what="the messages marked"
    )
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1, 1]

    # and the relay job, later, has nothing to hand over again
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert outbox.relay(older_than=outbox.FRESH_FOR) == 0
    assert broker.queue_length("default") == 3


def test_a_mark_that_never_landed_leaves_the_message_to_the_relay_job(broker, marking):
    # given a message handed over whose process died before its mark (the thread's round never came)
    (message,) = _messages(1)
    outbox._publish(message)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    # when the relay job runs
    relayed = outbox.relay(older_than=outbox.FRESH_FOR)

    # then it hands the message over again (at least once), and marks it
    assert relayed == 1
    assert broker.queue_length("default") == 2
    message.refresh_from_db()
    assert message.dispatched_at is not None


def test_marks_wait_while_the_database_is_away_and_land_when_it_is_back(broker, marking, monkeypatch):
    # given the database refuses the marking thread's UPDATE for a while
    messages = _messages(2)
    real_mark = outbox._mark_dispatched
    refusals = iter(range(2))

    def away_then_back(ids):
        if next(refusals, None) is not None:
            raise DatabaseError("the database is away")
        return real_mark(ids)

    monkeypatch.setattr(outbox, "_mark_dispatched", away_then_back)

    # when the messages are handed over
    outbox._relay_fresh_many(messages)

    # then they are marked once the database answers again
    wait_for(
        lambda: OutboxMessage.objects.filter(dispatched_at=None).count() == 0, timeout=5, what="the messages marked"
    )
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1]


def test_a_forked_child_starts_with_no_marks_and_a_free_lock(marking):
    # given a process holding marks, its lock taken at the moment it forks (its thread swapping the marks out)
    outbox.marks._ids.extend([101, 102])
    outbox.marks._lock.acquire()
    try:
        pid = os.fork()
        if pid == 0:  # the child: it can hand over and mark at once, without the parent's lock or marks
            code = 0 if (outbox.marks._ids == [] and outbox.marks._lock.acquire(timeout=2)) else 1
            os._exit(code)
    finally:
        outbox.marks._lock.release()
    outbox.marks._ids.clear()

    # then the child found a fresh state
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
