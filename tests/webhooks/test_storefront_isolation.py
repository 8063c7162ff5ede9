"""A storefront's subscriptions get its own orders' events only."""

import pytest

from tests.factories import OrderFactory, storefront_with_key
from tests.webhooks.conftest import Receiver

pytestmark = pytest.mark.django_db


def test_another_storefronts_orders_are_never_sent(commit, mug, storefront, subscribe, receiver):
    # given two storefronts, each subscribed to every event at its own receiver
    other, _ = storefront_with_key("other-shop")
    other_receiver = Receiver()
    try:
        subscribe()
        subscribe(storefront=other, url=other_receiver.url)

        # when the other storefront's order and a staff-entered order are placed
        with commit():
            theirs = OrderFactory(lines=[("MUG-1", 1)], storefront_id=other.pk)
            OrderFactory(lines=[("MUG-1", 1)])

        # then only the other storefront heard of its order, and nobody of the staff order
        assert receiver.received == []
        assert {p["data"]["order"]["number"] for p in other_receiver.payloads()} == {theirs.number}
    finally:
        other_receiver.close()
