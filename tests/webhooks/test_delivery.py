"""An order's events reach its storefront's receiver, signed, with the order as the storefront's API shows it."""

import json

import pytest

from oms.signatures import timestamped_verify
from shipping.exceptions import BadSignature
from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def test_placing_an_order_sends_signed_events_with_the_api_body(commit, mug, storefront, api, subscribe, receiver):
    # given a storefront subscribed to every order event
    subscription = subscribe()

    # when one of its orders is placed (and confirmed, after commit)
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    # then the receiver got order.created, then each status change, each verifiable with the secret
    types = [p["type"] for p in receiver.payloads()]
    assert types[0] == "order.created"
    assert set(types[1:]) == {"order.status_changed"}
    first = receiver.received[0]
    headers = first["headers"]
    timestamped_verify(
        secret=subscription.secret,
        header=headers["X-OMS-Signature"],
        body=first["body"],
        tolerance=300,
        error=BadSignature,
        header_name="X-OMS-Signature",
    )
    payload = json.loads(first["body"])
    assert headers["X-OMS-Event-Id"] == payload["id"]
    assert headers["X-OMS-Event-Type"] == "order.created"
    assert set(payload) == {"id", "type", "created_at", "data"}
    # and data.order is exactly what the storefront's GET of the order answers
    last = receiver.payloads()[-1]
    assert last["data"]["order"] == api.get(f"/api/v1/orders/{order.number}/").json()
    assert WebhookDelivery.objects.filter(status="delivered").count() == len(receiver.received)
