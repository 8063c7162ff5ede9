"""A return's events reach its order's storefront: opened, then each change of its status, with the return as
the storefront's API shows it."""

import pytest

from returns import services
from returns.models import ReturnRequest
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_a_return_sends_created_then_each_status_change(
    commit, mug, storefront, api, order_in_state, subscribe, receiver
):
    # given a storefront subscribed to return events only, and one of its delivered orders
    subscribe(events=["return.created", "return.status_changed"])
    order = order_in_state("delivered", lines=[("MUG-1", 2)], storefront_id=storefront.pk)

    # when its customer opens a return through the API and support authorizes it
    body = {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "no_longer_needed"}], "resolution": "refund"}
    with commit():
        opened = api.post(f"/api/v1/orders/{order.number}/returns/", body, format="json")
    assert opened.status_code == 201, opened.json()
    number = opened.json()["number"]
    manager = StaffFactory(role="manager")
    with commit():
        services.return_authorize(return_request=ReturnRequest.objects.get(number=number), user=manager)

    # then the receiver heard of both, in order, each with the return as the storefront reads it now or then
    payloads = receiver.delivered()
    assert [p["type"] for p in payloads] == ["return.created", "return.status_changed"]
    assert payloads[0]["data"]["return"]["number"] == number
    sent, now = payloads[-1]["data"]["return"], api.get(f"/api/v1/returns/{number}/").json()
    assert sent["status"] == "authorized"
    # the same body as the API's, as it was then (the label is bought just after the authorization)
    assert set(sent) == set(now)
    assert {k: v for k, v in sent.items() if not k.startswith("label")} == {
        k: v for k, v in now.items() if not k.startswith("label") and k != "events"
    } | {"events": sent["events"]}


def test_order_only_subscribers_hear_nothing_of_returns(
    commit, mug, storefront, api, order_in_state, subscribe, receiver
):
    subscribe(events=["order.status_changed"])
    order = order_in_state("delivered", lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    already = len(receiver.received)

    body = {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "no_longer_needed"}], "resolution": "refund"}
    with commit():
        assert api.post(f"/api/v1/orders/{order.number}/returns/", body, format="json").status_code == 201

    assert [p["type"] for p in receiver.payloads()[already:]] == []
