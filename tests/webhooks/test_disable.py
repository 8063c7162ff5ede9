"""A subscription whose every delivery failed for three days is disabled, and the reason kept for its owner."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


def test_failing_for_three_days_disables_the_subscription(commit, mug, storefront, api, subscribe, receiver):
    # given a subscription failing since three days ago, of a storefront with a contact address
    storefront.contact_email = "dev@shop.example"
    storefront.save(update_fields=["contact_email"])
    subscription = subscribe(events=["order.created"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(failing_since=timezone.now() - timedelta(days=3))
    receiver.answers = [500]
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    # then the failure that makes three days disables it, and nothing is left waiting
    subscription.refresh_from_db()
    assert subscription.is_active is False
    assert "every delivery failed" in subscription.disabled_reason
    assert not WebhookDelivery.objects.filter(status__in=["pending", "retrying"]).exists()
    # and its owner sees why; nothing more is sent to it
    listed = api.get("/api/v1/webhooks/").json()["results"][0]
    assert listed["is_active"] is False and "HTTP 500" in listed["disabled_reason"]
    # and is told by email, once
    told = [m for m in mail.outbox if "Webhook subscription disabled" in m.subject]
    assert [m.to for m in told] == [["dev@shop.example"]]
    assert "HTTP 500" in told[0].body
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    assert len(receiver.received) == 1


def test_one_success_ends_the_failing_streak(commit, mug, storefront, subscribe, receiver):
    subscription = subscribe(events=["order.created"])
    receiver.answers = [500]
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    subscription.refresh_from_db()
    assert subscription.failing_since is not None

    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    subscription.refresh_from_db()
    assert subscription.failing_since is None and subscription.is_active
