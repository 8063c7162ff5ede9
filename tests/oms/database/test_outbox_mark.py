"""The relay's after-commit mark lands, commits without waiting for the disk, and leaves the connection's next
transactions committing as before."""

import pytest
from django.db import connection

from oms import outbox
from oms.models import OutboxMessage

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")


@pytest.mark.django_db(transaction=True)
def test_the_mark_after_commit_lands_and_does_not_change_later_commits():
    # given a message committed, waiting for its mark
    message = OutboxMessage.objects.create(task_name="orders.tasks.x", queue="orders", kwargs={})

    # when the relay marks it on its own, out of any transaction (as after the commit that queued it)
    marked = outbox._mark_dispatched([message.pk])

    # then it is marked once, and the next statements run with synchronous commit as configured
    message.refresh_from_db()
    assert marked == 1 and message.dispatched_at is not None and message.attempts == 1
    assert outbox._mark_dispatched([message.pk]) == 0  # nobody marks it twice
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        assert cursor.fetchone()[0] == "on"
