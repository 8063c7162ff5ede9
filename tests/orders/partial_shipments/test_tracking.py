"""Tracking an order shipped in parts: early parcels move themselves, the order moves with its last ones."""

from datetime import timedelta

from django.utils import timezone

from orders import services
from orders.services import orders_complete_delivered
from shipping.models import Shipment
from tests.orders.partial_shipments.conftest import stock_arrives


def report(shipment: Shipment, status: str, n: int = 1) -> None:
    services.order_tracking_event(
        carrier="demo",
        payload={
            "event_id": f"evt-{shipment.pk}-{status}-{n}",
            "tracking_number": shipment.tracking_number,
            "status": status,
        },
    )


def test_the_first_parcel_travels_while_the_order_is_still_fulfilled(partial_order, ship_available, shelf):
    # given a first shipment out
    order = ship_available(partial_order([("PS-CUP", 2, 1)]))
    first = Shipment.objects.get(order=order)

    # when the carrier moves it, up to delivery
    report(first, "in_transit")
    report(first, "delivered")

    # then the parcel is delivered, and the order is still being fulfilled
    first.refresh_from_db()
    order.refresh_from_db()
    assert first.status == "delivered"
    assert order.status == "fulfilling"
    assert order.events.filter(note=f"Parcel {first.tracking_number}: delivered").exists()
    assert not order.events.filter(to_status__in=["in_transit", "delivered"]).exists()


def test_delivered_only_when_every_shipment_is(partial_order, ship_available, shelf):
    # given the first parcel in transit, then the rest shipped
    order = ship_available(partial_order([("PS-CUP", 2, 1)]))
    first = Shipment.objects.get(order=order)
    report(first, "in_transit")
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)
    last = Shipment.objects.filter(order=order).latest("pk")
    assert order.status == "shipped"

    # when the first parcel arrives
    report(first, "delivered")

    # then the order waits for its last parcel to reach the carrier
    order.refresh_from_db()
    assert order.status == "shipped"

    # when the last parcel travels
    report(last, "in_transit")
    order.refresh_from_db()
    assert order.status == "in_transit"

    # and only when it arrives too is the order delivered
    report(last, "delivered")
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.events.get(to_status="delivered").note == "All parcels delivered"


def test_auto_complete_waits_for_every_parcel(partial_order, ship_available, shelf):
    # given the last parcel in transit, the first delivered long ago
    order = ship_available(partial_order([("PS-CUP", 2, 1)]))
    first = Shipment.objects.get(order=order)
    report(first, "delivered")
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)
    last = Shipment.objects.filter(order=order).latest("pk")
    report(last, "in_transit")

    # when the daily completion runs far in the future
    done = orders_complete_delivered(now=timezone.now() + timedelta(days=365))

    # then nothing completes: the order is not delivered yet
    order.refresh_from_db()
    assert (done, order.status) == (0, "in_transit")

    # when the last parcel arrives, the order is delivered and later completes
    report(last, "delivered")
    assert orders_complete_delivered(now=timezone.now() + timedelta(days=365)) == 1
    order.refresh_from_db()
    assert order.status == "completed"
