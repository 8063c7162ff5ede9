"""A receiver that fails is tried again later with the same event, by the beat job reading the delivery rows."""

from datetime import timedelta

import pytest

from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.services import webhook_deliveries_send_due, webhook_delivery_attempt, webhook_records_purge

pytestmark = pytest.mark.django_db


def _place(commit, storefront):
    with commit():
        return OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)


def test_a_failed_delivery_is_retried_when_due_and_delivered(commit, mug, storefront, subscribe, receiver):
    # given a receiver that answers 500 to the first request
    subscribe(events=["order.created"])
    receiver.answers = [500]
    _place(commit, storefront)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("retrying", 1, 500)
    assert delivery.next_retry_at > delivery.last_attempt_at

    # when the beat job runs before the retry is due, nothing is sent; when it runs after, it is
    with commit():
        assert webhook_deliveries_send_due(now=delivery.last_attempt_at) == 0
    with commit():
        assert webhook_deliveries_send_due(now=delivery.next_retry_at) == 1

    # then the same event, byte for byte, was delivered on the second attempt
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert delivery.next_retry_at is None and delivery.delivered_at is not None
    first, second = receiver.received
    assert first["body"] == second["body"]
    assert first["headers"]["X-OMS-Event-Id"] == second["headers"]["X-OMS-Event-Id"]


def test_a_receiver_that_does_not_answer_in_time_is_retried(settings, commit, mug, storefront, subscribe, receiver):
    settings.OMS_WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1
    subscribe(events=["order.created"])

    _place(commit, storefront)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("retrying", None)
    assert "timed out" in delivery.last_error.lower()


def test_backoff_grows_and_a_delivery_fails_after_the_retry_window(
    settings, commit, mug, storefront, subscribe, receiver
):
    # given a receiver that always fails, and a retry window of one hour
    settings.OMS_WEBHOOK_RETRY_HOURS = 1
    receiver.answers = [503] * 20
    subscribe(events=["order.created"])
    _place(commit, storefront)
    delivery = WebhookDelivery.objects.get()
    pauses = [delivery.next_retry_at - delivery.last_attempt_at]

    # when it is tried again each time it is due
    while delivery.status == "retrying":
        delivery = webhook_delivery_attempt(delivery_id=delivery.pk, now=delivery.next_retry_at)
        if delivery.next_retry_at:
            pauses.append(delivery.next_retry_at - delivery.last_attempt_at)

    # then the pauses grew (with jitter) and the delivery failed at the end of the window
    assert pauses[2] > pauses[0]
    assert delivery.status == "failed" and delivery.next_retry_at is None
    assert delivery.last_attempt_at >= delivery.give_up_at


def test_old_events_are_purged_once_nothing_is_left_to_send(commit, mug, storefront, subscribe, receiver):
    subscribe(events=["order.created"])
    receiver.answers = [500]
    _place(commit, storefront)  # still retrying
    _place(commit, storefront)  # delivered
    later = WebhookEvent.objects.latest("pk").created_at + timedelta(days=31)

    assert webhook_records_purge(now=later) == 1
    assert WebhookDelivery.objects.get().status == "retrying"
