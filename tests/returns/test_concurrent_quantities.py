"""Parallel clients returning the same order line never return more than was delivered.

Eight storefront clients each ask, at the same moment, to return one of the three mugs of one delivered
order through the real HTTP stack (the live server answers each connection in its own thread, on its own
PostgreSQL connection). The order lines are locked while a return is opened: exactly three get a 201, the
rest a 400 naming the quantity, and the line counts three returned.
"""

import pytest
import requests

from orders.models import Order, OrderLine
from returns.models import ReturnRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 8
DELIVERED = 3


def test_concurrent_returns_never_exceed_what_was_delivered(
    postgres_only, reference_data, live_server, parallel, delivered_order, storefront
):
    # given
    order = delivered_order(DELIVERED, storefront_id=storefront.pk)
    body = {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "no_longer_needed"}]}

    def call():
        with requests.Session() as session:
            session.trust_env = False
            return session.post(
                f"{live_server.url}/api/v1/orders/{order.number}/returns/",
                json=body,
                headers={"Authorization": f"Bearer {storefront.key}"},
                timeout=60,
            )

    # when
    responses = parallel([call] * CLIENTS)

    # then
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * DELIVERED + [400] * (CLIENTS - DELIVERED), [r.text[:200] for r in responses]
    refused = next(r for r in responses if r.status_code == 400).json()
    assert refused["lines"]["0"]["quantity"] == ["At most 0 of MUG-1 may still be returned."]
    assert OrderLine.objects.get(order=order).quantity_returned == DELIVERED
    assert Order.objects.get(pk=order.pk).returns_open == DELIVERED
    numbers = sorted(ReturnRequest.objects.filter(order=order).values_list("number", flat=True))
    assert numbers == [f"R-{order.number}-{n}" for n in range(1, DELIVERED + 1)]
