"""Tracking numbers are random: nobody can work out another customer's number from a shipment id."""

import re

from shipping.carriers import ShipAddress, carrier_get
from shipping.models import Shipment
from shipping.services import shipment_create_label


def test_a_shipped_parcel_gets_a_demo_tracking_number(order_in_state):
    # when
    order = order_in_state("shipped")

    # then: the demo carrier's format, DMO and twelve digits
    assert re.fullmatch(r"DMO\d{12}", order.shipments.get().tracking_number)


def test_the_same_shipment_does_not_always_get_the_same_number():
    # given: what the carrier knows about a shipment
    carrier = carrier_get("demo")
    shipment = {
        "shipment_key": "shipment-1",
        "service": "standard",
        "carrier_service": "",
        "weight_kg": 1,
        "to_address": ShipAddress(city="Berlin", country="DE"),
        "from_address": ShipAddress(city="Newark", country="US"),
    }

    # when: two labels are asked for it
    first, second = carrier.buy_label(**shipment), carrier.buy_label(**shipment)

    # then
    assert first.tracking_number != second.tracking_number


def test_a_number_already_taken_is_drawn_again(order_in_state, monkeypatch):
    # given: a shipment holding DMO000000000001 and another still waiting for its label
    order = order_in_state("shipped")
    order.shipments.update(tracking_number="DMO000000000001")
    waiting = Shipment.objects.create(order=order, warehouse=order.shipments.get().warehouse, carrier="demo")
    draws = iter([1, 2])
    monkeypatch.setattr("shipping.carriers.demo.secrets.randbelow", lambda _: next(draws))

    # when: the carrier first hands out the number that is taken
    shipment = shipment_create_label(shipment_id=waiting.pk)

    # then: the shipment gets the next one
    assert shipment.tracking_number == "DMO000000000002"
    assert shipment.status == Shipment.Status.LABEL_CREATED
