"""An SMTP failure is retried; a permanent refusal is not; giving up leaves a note on the order's timeline."""

import pytest

from orders.models import Notification
from orders.tasks import EMAIL_MAX_RETRIES_IN_PROCESS, send_order_email_task
from tests.factories import OrderFactory
from tests.orders.notifications import flaky_mail


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.orders.notifications.flaky_mail.FlakyBackend"
    flaky_mail.FAILURES.clear()
    yield flaky_mail.FAILURES
    flaky_mail.FAILURES.clear()


@pytest.fixture
def order(db, warehouse):
    """An order whose confirmation has not been sent yet (placed, its after-commit work not run)."""
    return OrderFactory()


def send(order, kind="confirmation"):
    return send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": kind})


def test_a_dropped_connection_is_retried_and_the_email_goes_out_once(flaky, order, mailoutbox):
    # given: the server drops the first two tries
    flaky.extend([flaky_mail.disconnected(), flaky_mail.disconnected()])

    # when
    result = send(order)

    # then
    assert result.successful()
    assert len(mailoutbox) == 1
    notification = Notification.objects.get(order=order, kind="confirmation")
    assert notification.sent_at is not None and notification.attempts == 3
    assert order.events.filter(note="Emailed the customer: confirmation").count() == 1


def test_a_connection_refused_is_retried(flaky, order, mailoutbox):
    # given
    flaky.append(ConnectionRefusedError(111, "Connection refused"))

    # when
    result = send(order)

    # then
    assert result.successful() and len(mailoutbox) == 1


def test_giving_up_leaves_a_note_for_staff(flaky, order, mailoutbox):
    # given: the server stays away
    flaky.extend(flaky_mail.disconnected() for _ in range(EMAIL_MAX_RETRIES_IN_PROCESS + 1))

    # when
    result = send(order)

    # then
    assert result.failed()
    assert mailoutbox == []
    notification = Notification.objects.get(order=order, kind="confirmation")
    assert notification.sent_at is None and notification.attempts == EMAIL_MAX_RETRIES_IN_PROCESS + 1
    note = order.events.get(note__startswith="Could not email the customer").note
    assert "confirmation" in note and f"after {EMAIL_MAX_RETRIES_IN_PROCESS + 1} attempt(s)" in note


def test_a_permanent_refusal_is_not_retried(flaky, order, mailoutbox):
    # given: the server says the address does not exist
    flaky.extend([flaky_mail.refused(550), flaky_mail.disconnected()])

    # when
    result = send(order)

    # then: one try, and the note
    assert result.failed()
    assert Notification.objects.get(order=order, kind="confirmation").attempts == 1
    assert order.events.filter(note__startswith="Could not email the customer: confirmation").exists()
    assert len(flaky) == 1  # the second failure was never reached


def test_a_temporary_refusal_is_retried(flaky, order, mailoutbox):
    # given: "mailbox busy, try later"
    flaky.append(flaky_mail.refused(450))

    # when
    result = send(order)

    # then
    assert result.successful() and len(mailoutbox) == 1


def test_a_worker_retries_with_growing_delays(order, flaky, monkeypatch):
    # given: run as a worker would (not in-process), with the retry call captured
    flaky.append(flaky_mail.disconnected())
    delays = []

    def capture(*, exc, countdown):
        delays.append(countdown)
        raise RuntimeError("retried")

    monkeypatch.setattr(send_order_email_task, "retry", capture)
    send_order_email_task.push_request(retries=3, is_eager=False)
    try:
        # when
        with pytest.raises(RuntimeError, match="retried"):
            send_order_email_task.run(order_id=order.pk, kind="confirmation")
    finally:
        send_order_email_task.pop_request()

    # then
    assert delays == [80]
