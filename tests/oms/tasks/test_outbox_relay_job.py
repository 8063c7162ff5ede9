"""The relay job picks up outbox messages that were not handed over, and leaves fresh ones to the
after-commit relay of the request that wrote them."""

from datetime import timedelta

from django.utils import timezone

from oms.models import OutboxMessage
from oms.tasks import relay_outbox_task
from tests.factories import StockItemFactory


def low_stock_message(*, age: timedelta) -> OutboxMessage:
    item = StockItemFactory(on_hand=1)
    message = OutboxMessage.objects.create(
        task_name="inventory.tasks.send_low_stock_alert_task", queue="inventory", kwargs={"stock_item_id": item.pk}
    )
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - age)
    return message


def test_the_job_hands_over_a_message_left_pending(db, mailoutbox):
    # given a message that nobody handed over (the broker was down, the process died)
    message = low_stock_message(age=timedelta(minutes=5))

    # when the beat job runs
    relayed = relay_outbox_task.apply().result

    # then its task ran and it is marked dispatched
    assert relayed == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Low stock"]


def test_the_job_leaves_a_fresh_message_to_its_own_request(db, mailoutbox):
    # given a message written a moment ago
    message = low_stock_message(age=timedelta(seconds=1))

    # when the beat job runs
    relayed = relay_outbox_task.apply().result

    # then it is not touched
    assert relayed == 0
    message.refresh_from_db()
    assert (message.dispatched_at, message.attempts) == (None, 0)
    assert mailoutbox == []
