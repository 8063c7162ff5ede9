"""Label purchases and each parcel's status changes are on the order's timeline, once each."""

import pytest

from orders.services import order_shipment_label
from orders.services.lifecycle import order_tracking_event


@pytest.fixture
def shipped(order_in_state):
    return order_in_state("shipped")


def notes(order) -> list[str]:
    return list(order.events.order_by("at", "pk").values_list("note", flat=True))


def test_a_bought_label_is_on_the_timeline(shipped):
    # given the label was bought when the order shipped
    shipment = shipped.shipments.get()

    # then
    assert f"Label bought: Demo Parcel {shipment.tracking_number}" in notes(shipped)


def test_buying_the_label_again_writes_no_second_event(shipped):
    # given
    shipment = shipped.shipments.get()
    before = shipped.events.count()

    # when the label task runs again (a retry, the reconciler)
    order_shipment_label(shipment_id=shipment.pk)

    # then
    assert shipped.events.count() == before
    assert notes(shipped).count(f"Label bought: Demo Parcel {shipment.tracking_number}") == 1


def test_each_parcel_status_change_is_on_the_timeline(shipped, post_webhook):
    # given
    tracking = shipped.shipments.get().tracking_number

    # when the carrier reports the parcel's way
    for n, status in enumerate(["in_transit", "out_for_delivery", "delivered"]):
        assert post_webhook({"event_id": f"e{n}", "tracking_number": tracking, "status": status}).status_code == 200

    # then
    parcel_notes = [n for n in notes(shipped) if n.startswith(f"Parcel {tracking}: ")]
    assert parcel_notes == [
        f"Parcel {tracking}: in transit",
        f"Parcel {tracking}: out for delivery",
        f"Parcel {tracking}: delivered",
    ]
    assert shipped.events.get(note=f"Parcel {tracking}: out for delivery").actor == "carrier:demo"


def test_a_webhook_delivered_twice_writes_one_event(shipped, post_webhook):
    # given
    tracking = shipped.shipments.get().tracking_number
    payload = {"event_id": "evt-ofd", "tracking_number": tracking, "status": "out_for_delivery"}

    # when
    first, second = post_webhook(payload), post_webhook(payload)

    # then
    assert (first.status_code, second.status_code) == (200, 200)
    assert notes(shipped).count(f"Parcel {tracking}: out for delivery") == 1


def test_the_same_status_under_a_new_id_or_a_late_older_event_writes_nothing(shipped):
    # given the parcel is out for delivery
    tracking = shipped.shipments.get().tracking_number
    order_tracking_event(
        carrier="demo", payload={"event_id": "a", "tracking_number": tracking, "status": "out_for_delivery"}
    )
    before = shipped.events.count()

    # when the carrier repeats it under another id, and a delayed "in transit" arrives
    order_tracking_event(
        carrier="demo", payload={"event_id": "b", "tracking_number": tracking, "status": "out_for_delivery"}
    )
    order_tracking_event(carrier="demo", payload={"event_id": "c", "tracking_number": tracking, "status": "in_transit"})

    # then the parcel is still out for delivery, and the timeline says so once
    assert shipped.shipments.get().status == "out_for_delivery"
    assert shipped.events.count() == before


def test_back_on_its_way_after_an_exception_is_on_the_timeline(shipped):
    tracking = shipped.shipments.get().tracking_number
    for n, status in enumerate(["in_transit", "exception", "in_transit"]):
        order_tracking_event(
            carrier="demo", payload={"event_id": f"x{n}", "tracking_number": tracking, "status": status}
        )

    parcel_notes = [n for n in notes(shipped) if tracking in n and not n.startswith("Label")]
    assert parcel_notes == [
        f"Parcel {tracking}: in transit",
        f"{tracking} in transit",
        f"Carrier exception on {tracking}",
        f"Parcel {tracking}: in transit",
    ]
