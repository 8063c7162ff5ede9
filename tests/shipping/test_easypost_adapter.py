"""The EasyPost adapter against a fake EasyPost speaking its REST API v2 on 127.0.0.1."""

import base64
import hashlib
import hmac
import json
from decimal import Decimal

import pytest

from oms.provider_http import ProviderUnreachable
from shipping.carriers import ShipAddress, carrier_get
from shipping.exceptions import CarrierRefused
from shipping.models import Shipment, TrackingEvent
from shipping.services import shipment_cancel, shipment_create_label
from tests.shipping.conftest import WEBHOOK_SECRET
from tests.shipping.fake_easypost import API_KEY

TO = ShipAddress(name="Ann Example", street1="1 Main St", city="Denver", state="CO", zip="80202", country="US")
FROM = ShipAddress(name="Shop", street1="200 Distribution Way", city="Newark", state="NJ", zip="07114", country="US")


def test_rates_are_quoted_per_service_with_basic_auth_and_ounces(easypost, easypost_method):
    # when
    rates = carrier_get("easypost").quote(
        method=easypost_method, weight_kg=Decimal("1"), to_address=TO, from_address=FROM
    )

    # then: every service, priced as EasyPost answered (1 kg = 35.3 oz, rounded up)
    assert [(r.service, r.price, r.currency, r.delivery_days) for r in rates] == [
        ("USPS:First", Decimal("7.53"), "USD", 3),
        ("USPS:Priority", Decimal("9.26"), "USD", 2),
        ("UPS:NextDayAir", Decimal("31.06"), "USD", 1),
    ]
    sent = easypost.requests[0]
    assert sent.path == "/v2/shipments"
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    assert sent.json()["shipment"]["parcel"] == {"weight": 35.3}
    assert sent.json()["shipment"]["to_address"]["zip"] == "80202"


def test_a_method_restricted_to_one_carrier_quotes_only_its_services(easypost, easypost_method):
    # given
    easypost_method.carrier_service = "USPS"

    # when
    rates = carrier_get("easypost").quote(
        method=easypost_method, weight_kg=Decimal("1"), to_address=TO, from_address=FROM
    )

    # then
    assert [r.service for r in rates] == ["USPS:First", "USPS:Priority"]


def test_a_shipped_order_buys_its_label_at_easypost(easypost, easypost_method, order_in_state):
    # when: the order ships by the EasyPost method (no rate chosen: the cheapest service is bought)
    order = order_in_state("shipped", shipping_method="ep")

    # then
    shipment = order.shipments.get()
    (bought,) = easypost.bought()
    assert bought["selected_rate"]["service"] == "First"
    assert shipment.tracking_number == bought["tracking_code"]
    assert shipment.label_url == bought["postage_label"]["label_url"]
    assert shipment.carrier_reference == bought["id"]
    assert shipment.status == Shipment.Status.LABEL_CREATED
    assert order.events.filter(note__startswith="Label bought: EasyPost").exists()


def test_a_cancelled_shipment_voids_its_label_once(easypost, easypost_method, order_in_state, commit):
    # given
    shipment = order_in_state("shipped", shipping_method="ep").shipments.get()

    # when: it is cancelled, twice
    with commit():
        shipment_cancel(shipment_id=shipment.pk)
    with commit():
        shipment_cancel(shipment_id=shipment.pk)

    # then: one refund asked for, the label marked voided
    assert easypost.paths().count(f"/v2/shipments/{shipment.carrier_reference}/refund") == 1
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.CANCELLED and shipment.label_voided_at is not None


def test_a_refused_label_purchase_is_a_carrier_error(easypost, easypost_method):
    # when / then: EasyPost knows no such service
    with pytest.raises(CarrierRefused):
        carrier_get("easypost").buy_label(
            shipment_key="s-1",
            service="ep",
            carrier_service="DHL:Express",
            weight_kg=1,
            to_address=TO,
            from_address=FROM,
        )
    assert easypost.bought() == []


def test_an_unreachable_easypost_is_retryable(easypost, easypost_method):
    # given
    easypost.fail_next = [503]

    # when / then
    with pytest.raises(ProviderUnreachable):
        carrier_get("easypost").quote(method=easypost_method, weight_kg=Decimal("1"), to_address=TO, from_address=FROM)


def test_addresses_are_verified(easypost):
    carrier = carrier_get("easypost")
    assert carrier.validate_address(TO).valid
    check = carrier.validate_address(ShipAddress(street1="1 Nowhere Lane", city="Denver", country="US"))
    assert (check.valid, check.messages) == (False, ("Address not found",))
    assert easypost.requests[0].json()["verify"] is True


def _tracker_event(tracking_code: str, *statuses: str) -> dict:
    details = [
        {
            "object": "TrackingDetail",
            "status": status,
            "message": f"Parcel {status}",
            "datetime": f"2026-03-0{n}T10:00:00Z",
            "tracking_location": {"city": "Denver", "state": "CO", "country": "US", "zip": "80202"},
        }
        for n, status in enumerate(statuses, start=1)
    ]
    return {
        "object": "Event",
        "id": "evt_1",
        "description": "tracker.updated",
        "result": {"object": "Tracker", "id": "trk_1", "tracking_code": tracking_code, "tracking_details": details},
    }


def _post(client, event: dict, *, secret: str = WEBHOOK_SECRET):
    body = json.dumps(event).encode()
    signature = "hmac-sha256-hex=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/shipping/webhooks/easypost/",
        data=body,
        content_type="application/json",
        HTTP_X_HMAC_SIGNATURE=signature,
    )


def test_a_signed_tracker_update_moves_the_parcel_and_the_order(easypost, easypost_method, order_in_state, client):
    # given
    order = order_in_state("shipped", shipping_method="ep")
    tracking = order.shipments.get().tracking_number

    # when: the tracker went pre_transit then in_transit; the same update arrives twice
    event = _tracker_event(tracking, "pre_transit", "in_transit")
    first, again = _post(client, event), _post(client, event)

    # then
    assert first.status_code == 200 and first.json()["order_status"] == "in_transit"
    assert again.status_code == 200
    recorded = TrackingEvent.objects.get()
    assert (recorded.status, recorded.location, recorded.description) == (
        "in_transit",
        "Denver, CO, US",
        "Parcel in_transit",
    )
    order.refresh_from_db()
    assert order.status == "in_transit"


def test_a_badly_signed_tracker_update_is_refused(easypost, easypost_method, order_in_state, client):
    # given
    tracking = order_in_state("shipped", shipping_method="ep").shipments.get().tracking_number

    # when
    response = _post(client, _tracker_event(tracking, "delivered"), secret="not-the-secret")

    # then
    assert response.status_code == 401
    assert not TrackingEvent.objects.exists()


def test_other_easypost_events_are_acknowledged_and_ignored(easypost, client):
    response = _post(client, {"object": "Event", "id": "evt_2", "description": "batch.updated", "result": {}})
    assert response.status_code == 200 and response.json() == {"received": True, "events": 0}


def test_a_label_whose_answer_was_lost_is_not_bought_twice(easypost, easypost_method, order_in_state):
    # given: a parcel waiting for its label; EasyPost sells it, but the answer never arrives
    order = order_in_state("fulfilling")
    shipment = Shipment.objects.create(
        order=order,
        warehouse=order.lines.get().allocations.get().warehouse,
        carrier="easypost",
        service="ep",
        weight_kg=1,
    )
    easypost.lose_answer_to = {"/buy"}
    with pytest.raises(ProviderUnreachable):
        shipment_create_label(shipment_id=shipment.pk)

    # when: the task runs again
    shipment = shipment_create_label(shipment_id=shipment.pk)

    # then: the label sold the first time is the one kept, and only one was bought
    (bought,) = easypost.bought()
    assert shipment.tracking_number == bought["tracking_code"]
    assert shipment.carrier_reference == bought["id"]
    assert easypost.paths().count(f"/v2/shipments/{bought['id']}/buy") == 1
