"""A storefront's order placed through the API goes to each of its active subscriptions that asked for the event,
read along placement's catalog read (no query of its own): not to a paused one, nor to one that asked for other
events, nor to another storefront's."""

from contextlib import contextmanager

import pytest
from django.db import connection

from tests.factories import storefront_with_key
from webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


@contextmanager
def statements_written():
    """The SQL the app writes, as written (before it runs as a prepared statement)."""
    written = []

    def record(execute, sql, params, many, context):
        written.append(sql)
        return execute(sql, params, many, context)

    connection.ensure_connection()
    connection.execute_wrappers.insert(0, record)
    try:
        yield written
    finally:
        connection.execute_wrappers.remove(record)


def test_placement_delivers_to_the_storefronts_active_subscriptions_without_reading_them_apart(
    api, mug, order_body, subscribe, receiver
):
    # given the storefront's subscriptions: one to every event, one paused, one to shipments only; and another
    # storefront's subscription to every event
    everything = subscribe()
    paused = subscribe()
    WebhookSubscription.objects.filter(pk=paused.pk).update(is_active=False)
    subscribe(events=["order.shipped"])
    other, _ = storefront_with_key("other-shop")
    subscribe(storefront=other)

    # when the storefront places an order
    with statements_written() as placed:
        response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="subs-1")

    # then its creation is to be delivered to the active subscription to every event only
    assert response.status_code == 201, response.content
    deliveries = WebhookDelivery.objects.filter(event__type="order.created")
    assert [d.subscription_id for d in deliveries] == [everything.pk]
    # and no statement of the placement read the subscriptions apart
    read_apart = [sql for sql in placed if 'SELECT "webhooks_webhooksubscription"."id"' in sql]
    assert read_apart == [] if connection.vendor == "postgresql" else len(read_apart) == 1
