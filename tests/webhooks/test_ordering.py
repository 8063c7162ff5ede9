"""Deliveries of one order to one subscription arrive in event order: a later one waits for an earlier one."""

import pytest

from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.services import webhook_deliveries_send_due

pytestmark = pytest.mark.django_db


def test_later_events_wait_behind_a_failing_one_and_then_go_in_order(commit, mug, storefront, subscribe, receiver):
    # given a receiver that fails the first request
    subscribe(events=["order.created", "order.status_changed"])
    receiver.answers = [500]

    # when an order is placed and goes through several stages at once
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    events = list(WebhookEvent.objects.filter(order_id=order.pk).order_by("pk").values_list("public_id", flat=True))
    assert len(events) >= 3

    # then only order.created was tried; the others wait, untried, even when the beat job runs
    assert [p["type"] for p in receiver.payloads()] == ["order.created"]
    first = WebhookDelivery.objects.get(event__public_id=events[0])
    with commit():
        assert webhook_deliveries_send_due(now=first.last_attempt_at) == 0
    assert WebhookDelivery.objects.filter(attempts=0).count() == len(events) - 1

    # and once the first is retried and taken, the rest follow in event order
    with commit():
        webhook_deliveries_send_due(now=first.next_retry_at)
    assert [p["id"] for p in receiver.delivered()] == events
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_orders_do_not_wait_for_each_other(commit, mug, storefront, subscribe, receiver):
    # given the first order's delivery is failing
    subscribe(events=["order.created"])
    receiver.answers = [500]
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    # when another order is placed
    with commit():
        second = OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    # then its event goes out at once
    assert receiver.delivered()[0]["data"]["order"]["number"] == second.number
