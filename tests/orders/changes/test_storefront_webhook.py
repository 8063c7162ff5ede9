"""A storefront subscribed to ``order.updated`` hears of every change of an order's lines (an edit, a part
cancel) made through the API or by staff, with the order as it now stands; placement and status changes do not
make it."""

import pytest

from orders.models import Order

pytestmark = pytest.mark.django_db


def test_line_edits_and_part_cancels_are_sent_as_order_updated(
    api,
    staff_api,
    catalog,
    order_body,
    commit,
    subscribe,
    receiver,
):
    # given a storefront subscribed to order.updated only, and one of its orders (2 mugs)
    subscribe(events=["order.updated"])
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]
    assert Order.objects.get(number=number).status == "confirmed"
    assert receiver.payloads() == []

    # when the storefront adds a tee, then staff cancel one mug
    with commit():
        edited = api.post(
            f"/api/v1/orders/{number}/lines/",
            {"lines": [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}]},
            format="json",
        )
    with commit():
        cancelled = staff_api("order desk").post(
            f"/api/v1/orders/{number}/cancel/", {"lines": [{"sku": "MUG-1", "quantity": 1}]}, format="json"
        )
    assert (edited.status_code, cancelled.status_code) == (200, 200)

    # then it got two order.updated events, each with the lines as they were then, the last as GET shows it
    payloads = receiver.payloads()
    assert [p["type"] for p in payloads] == ["order.updated", "order.updated"]
    assert [(x["sku"], x["quantity"]) for x in payloads[0]["data"]["order"]["lines"]] == [("MUG-1", 2), ("TEE-1", 1)]
    assert payloads[1]["data"]["order"] == api.get(f"/api/v1/orders/{number}/").json()
    assert [(x["sku"], x["quantity"]) for x in payloads[1]["data"]["order"]["lines"]] == [("MUG-1", 1), ("TEE-1", 1)]
