"""The whole lifecycle through the HTTP API, as a storefront, staff and the carrier drive it."""

from decimal import Decimal

from inventory.models import StockItem, StockMovement
from orders.models import Order
from payments.models import Payment


def test_order_goes_from_placement_to_completion(
    api, storefront, mug, order_body, commit, staff_api, post_webhook, mailoutbox
):
    warehouse, manager = staff_api("warehouse"), staff_api("manager")

    # given a storefront places an order
    with commit():
        placed = api.post("/api/v1/orders/", order_body, format="json")
    assert placed.status_code == 201
    number = placed.json()["number"]
    order_url = f"/api/v1/orders/{number}/"

    # then it passes the automatic stages and the customer gets the confirmation
    detail = api.get(order_url).json()
    assert detail["status"] == "confirmed"
    assert detail["payment"]["status"] == "authorized"
    assert StockItem.objects.get(product=mug).reserved == 2
    assert [m.subject for m in mailoutbox] == [f"Order {number} confirmed"]

    # when the warehouse starts fulfillment and ships
    assert warehouse.post(f"{order_url}transitions/start_fulfillment/", format="json").json()["status"] == "fulfilling"
    with commit():
        shipped = warehouse.post(f"{order_url}transitions/ship/", format="json")

    # then there is a shipment with a tracking number, the stock left and the payment was captured
    assert shipped.status_code == 200
    detail = api.get(order_url).json()
    assert detail["status"] == "shipped"
    [shipment] = detail["shipments"]
    assert shipment["carrier"] == "demo"
    assert shipment["tracking_number"].startswith("DMO")
    assert shipment["status"] == "label_created"
    assert shipment["contents"] == [{"sku": "MUG-1", "quantity": 2}]
    stock = StockItem.objects.get(product=mug)
    assert (stock.on_hand, stock.reserved) == (48, 0)
    assert StockMovement.objects.filter(reference=number, kind="ship", on_hand_delta=-2, reserved_delta=-2).count() == 1
    assert detail["lines"][0]["quantity_shipped"] == 2
    assert detail["payment"]["status"] == "captured"
    assert detail["payment"]["captured"] == detail["total"]
    assert Payment.objects.get(order__number=number).captured_amount == Decimal(detail["total"])
    assert mailoutbox[-1].subject == f"Order {number} has shipped"
    assert shipment["tracking_number"] in mailoutbox[-1].body

    # when the carrier reports the parcel moving, then delivered
    tracking = shipment["tracking_number"]
    in_transit = post_webhook(
        {
            "event_id": "e1",
            "tracking_number": tracking,
            "status": "in_transit",
            "occurred_at": "2026-03-02T09:00:00Z",
            "location": "Hub",
        }
    )
    assert (in_transit.status_code, in_transit.json()["order_status"]) == (200, "in_transit")
    with commit():
        delivered = post_webhook(
            {
                "event_id": "e2",
                "tracking_number": tracking,
                "status": "delivered",
                "occurred_at": "2026-03-03T15:00:00Z",
            }
        )

    # then the order is delivered and the customer told
    assert (delivered.status_code, delivered.json()["order_status"]) == (200, "delivered")
    detail = api.get(order_url).json()
    assert detail["status"] == "delivered"
    assert [e["status"] for e in detail["shipments"][0]["events"]] == ["in_transit", "delivered"]
    assert mailoutbox[-1].subject == f"Order {number} was delivered"
    assert mailoutbox[-1].to == ["ann@example.com"]

    # when a manager completes it
    completed = manager.post(f"{order_url}transitions/complete/", format="json")

    # then
    assert completed.status_code == 200
    assert completed.json()["status"] == "completed"
    assert Order.objects.get(number=number).completed_at is not None

    # and the timeline records each step with who took it (as staff see it: storefronts get no user names)
    steps = [
        (e["from_status"], e["to_status"], e["actor"])
        for e in manager.get(order_url).json()["events"]
        if e["to_status"]
    ]
    assert steps == [
        ("", "placed", "storefront:shop"),
        ("placed", "verified", "system"),
        ("verified", "credit_approved", "system"),
        ("credit_approved", "paid", "system"),
        ("paid", "confirmed", "system"),
        ("confirmed", "fulfilling", warehouse.user.username),
        ("fulfilling", "shipped", warehouse.user.username),
        ("shipped", "in_transit", "carrier:demo"),
        ("in_transit", "delivered", "carrier:demo"),
        ("delivered", "completed", manager.user.username),
    ]
    assert [m.subject.split(" ", 2)[2] for m in mailoutbox] == ["confirmed", "has shipped", "was delivered"]


def test_the_detail_shows_events_and_shipments_in_the_contract_shape(order_in_state, staff_api):
    # given
    order = order_in_state("in_transit")

    # when
    detail = staff_api("support").get(f"/api/v1/orders/{order.number}/").json()

    # then
    assert {"at", "from_status", "to_status", "actor", "note"} <= set(detail["events"][0])
    assert {"carrier", "tracking_number", "status", "events"} <= set(detail["shipments"][0])
    assert detail["shipments"][0]["status"] == "in_transit"
    assert {"status", "occurred_at", "location", "description"} <= set(detail["shipments"][0]["events"][0])
