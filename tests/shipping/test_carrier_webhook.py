"""Carrier tracking webhooks: signed, replay-safe, and moving the order on when they should."""

import json
import time

import pytest

from orders.models import OrderEvent
from shipping.carriers import sign
from shipping.models import Shipment, TrackingEvent


@pytest.fixture
def shipped(order_in_state):
    return order_in_state("shipped")


@pytest.fixture
def tracking(shipped):
    return shipped.shipments.get().tracking_number


def nothing_recorded(order, before_events: int) -> bool:
    order.refresh_from_db()
    return (
        not TrackingEvent.objects.exists()
        and order.status == "shipped"
        and set(Shipment.objects.values_list("status", flat=True)) == {"label_created"}
        and OrderEvent.objects.filter(order=order).count() == before_events
    )


def test_a_valid_signed_event_is_recorded(shipped, tracking, post_webhook):
    # when
    response = post_webhook(
        {
            "event_id": "evt-1",
            "tracking_number": tracking,
            "status": "in_transit",
            "occurred_at": "2026-03-02T09:30:00Z",
            "location": "Leipzig hub",
            "description": "Sorted",
        }
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"received": True, "order_status": "in_transit"}
    event = TrackingEvent.objects.get()
    assert (event.event_id, event.status, event.location, event.description) == (
        "evt-1",
        "in_transit",
        "Leipzig hub",
        "Sorted",
    )
    assert event.occurred_at.isoformat() == "2026-03-02T09:30:00+00:00"
    assert Shipment.objects.get().status == "in_transit"
    assert shipped.events.get(to_status="in_transit").actor == "carrier:demo"


@pytest.mark.parametrize(
    "signature",
    [
        None,  # no header
        "",
        "v1=deadbeef",
        "t=notanumber,v1=deadbeef",
        "t={now},v1=" + "0" * 64,
        "t={now}",
    ],
)
def test_missing_or_bad_signature_is_401_and_nothing_is_recorded(signature, shipped, tracking, post_webhook):
    # given
    events = shipped.events.count()
    header = signature.format(now=int(time.time())) if signature else signature
    payload = {"event_id": "evt-1", "tracking_number": tracking, "status": "in_transit"}

    # when
    response = post_webhook(payload, signature=header)

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"
    assert nothing_recorded(shipped, events)


def test_signed_with_another_secret_is_401(shipped, tracking, post_webhook):
    # given
    events = shipped.events.count()

    # when
    response = post_webhook({"tracking_number": tracking, "status": "in_transit"}, secret="guessed-secret")

    # then
    assert response.status_code == 401
    assert nothing_recorded(shipped, events)


def test_a_body_changed_after_signing_is_401(shipped, tracking, post_webhook, settings):
    # given a signature over another body
    events = shipped.events.count()
    signed_for = json.dumps({"tracking_number": tracking, "status": "exception"}).encode()
    header = sign(secret=settings.DEMO_CARRIER_WEBHOOK_SECRET, body=signed_for)

    # when
    response = post_webhook({"tracking_number": tracking, "status": "delivered"}, signature=header)

    # then
    assert response.status_code == 401
    assert nothing_recorded(shipped, events)


@pytest.mark.parametrize("offset", [-1, +1])
def test_a_timestamp_outside_the_tolerance_is_401(offset, shipped, tracking, post_webhook, settings):
    # given a signature older (or newer) than the tolerance allows
    settings.OMS_WEBHOOK_TOLERANCE_SECONDS = 300
    events = shipped.events.count()
    timestamp = int(time.time()) + offset * 310

    # when
    response = post_webhook({"tracking_number": tracking, "status": "in_transit"}, timestamp=timestamp)

    # then
    assert response.status_code == 401
    assert nothing_recorded(shipped, events)


def test_a_timestamp_within_the_tolerance_is_accepted(shipped, tracking, post_webhook, settings):
    # given
    settings.OMS_WEBHOOK_TOLERANCE_SECONDS = 300

    # when
    response = post_webhook({"tracking_number": tracking, "status": "in_transit"}, timestamp=int(time.time()) - 250)

    # then
    assert response.status_code == 200


def test_unknown_tracking_number_is_404(shipped, post_webhook):
    # when
    response = post_webhook({"event_id": "evt-1", "tracking_number": "DMO000000000000", "status": "in_transit"})

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_shipment"
    assert not TrackingEvent.objects.exists()


def test_unknown_carrier_is_404(shipped, tracking, post_webhook):
    # when
    response = post_webhook({"tracking_number": tracking, "status": "in_transit"}, carrier="acme")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_carrier"
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "teleported"}, "status"),
        ({"status": None}, "status"),
        ({"tracking_number": None, "status": "in_transit"}, "tracking_number"),
        ({"status": "in_transit", "occurred_at": "last tuesday"}, "occurred_at"),
        ({"status": "in_transit", "occurred_at": "2026-02-30T10:00:00Z"}, "occurred_at"),
        ({"status": "in_transit", "occurred_at": 1767225600}, "occurred_at"),
        ({"status": "in_transit", "location": "Hub\x00 7"}, "location"),
        ({"status": "in_transit", "description": "\x00"}, "description"),
        ({"status": "in_transit", "event_id": "evt\x00"}, "event_id"),
    ],
)
def test_an_invalid_event_is_400_naming_the_field(payload, field, shipped, tracking, post_webhook):
    # given
    events = shipped.events.count()

    # when
    response = post_webhook({"tracking_number": tracking, **payload})

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert nothing_recorded(shipped, events)


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"delivered"'])
def test_a_signed_body_that_is_not_an_event_object_is_400(body, shipped, post_webhook):
    # given
    events = shipped.events.count()

    # when
    response = post_webhook(body)

    # then
    assert response.status_code == 400
    assert nothing_recorded(shipped, events)


def test_a_replayed_event_is_recorded_once(shipped, tracking, post_webhook, commit, mailoutbox):
    # given
    payload = {
        "event_id": "evt-9",
        "tracking_number": tracking,
        "status": "delivered",
        "occurred_at": "2026-03-03T10:00:00Z",
    }
    with commit():
        first = post_webhook(payload)
    events, mails = shipped.events.count(), len(mailoutbox)

    # when
    with commit():
        again = post_webhook(payload)

    # then
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["order_status"] == "delivered"
    assert TrackingEvent.objects.count() == 1
    assert shipped.events.count() == events
    assert len(mailoutbox) == mails


def test_a_delivery_reported_first_takes_the_order_through_in_transit(
    shipped, tracking, post_webhook, commit, mailoutbox
):
    # when
    with commit():
        response = post_webhook(
            {
                "event_id": "evt-1",
                "tracking_number": tracking,
                "status": "delivered",
                "occurred_at": "2026-03-03T10:00:00Z",
            }
        )

    # then
    assert response.json()["order_status"] == "delivered"
    shipped.refresh_from_db()
    assert shipped.delivered_at.isoformat() == "2026-03-03T10:00:00+00:00"
    steps = list(shipped.events.exclude(to_status="").values_list("to_status", flat=True))[-2:]
    assert steps == ["in_transit", "delivered"]
    assert mailoutbox[-1].subject == f"Order {shipped.number} was delivered"


def test_an_older_event_arriving_late_does_not_move_the_shipment_back(shipped, tracking, post_webhook):
    # given
    post_webhook({"event_id": "evt-2", "tracking_number": tracking, "status": "out_for_delivery"})

    # when
    response = post_webhook({"event_id": "evt-1", "tracking_number": tracking, "status": "in_transit"})

    # then
    assert response.status_code == 200
    assert Shipment.objects.get().status == "out_for_delivery"
    assert TrackingEvent.objects.count() == 2


def test_a_carrier_exception_is_noted_on_the_timeline(shipped, tracking, post_webhook):
    # when
    response = post_webhook({"event_id": "evt-x", "tracking_number": tracking, "status": "exception"})

    # then
    assert response.status_code == 200
    assert response.json()["order_status"] == "shipped"
    assert shipped.events.filter(actor="carrier:demo", note__startswith="Carrier exception").count() == 1


def test_a_resent_event_without_id_or_time_is_recorded_once(shipped, tracking, post_webhook):
    # given an event with neither event_id nor occurred_at, sent twice
    payload = {"tracking_number": tracking, "status": "in_transit", "location": "Hub"}
    before = shipped.events.count()

    # when
    first, second = post_webhook(payload), post_webhook(payload)

    # then
    assert (first.status_code, second.status_code) == (200, 200)
    shipment = shipped.shipments.get()
    assert shipment.events.count() == 1
    assert shipped.events.count() == before + 2  # shipped -> in_transit, and the parcel's own news


def test_a_signed_batch_of_events_is_applied_in_order(shipped, tracking, post_webhook, commit, mailoutbox):
    # when the carrier sends several events at once
    with commit():
        response = post_webhook(
            {
                "events": [
                    {
                        "id": "b-1",
                        "tracking_number": tracking,
                        "status": "in_transit",
                        "timestamp": "2026-11-02T08:00Z",
                    },
                    {"id": "b-2", "tracking_number": tracking, "status": "delivered", "timestamp": "2026-11-03T15:00Z"},
                ]
            }
        )

    # then both are recorded and the order is delivered
    assert response.status_code == 200, response.content
    assert response.json()["events"] == 2
    shipped.refresh_from_db()
    assert shipped.status == "delivered"
    assert list(TrackingEvent.objects.values_list("event_id", "status")) == [
        ("b-1", "in_transit"),
        ("b-2", "delivered"),
    ]
    assert [m.subject for m in mailoutbox].count(f"Order {shipped.number} was delivered") == 1


def test_a_batch_with_one_bad_event_records_none(shipped, tracking, post_webhook):
    # given
    events = shipped.events.count()

    # when the second event of a batch is invalid
    response = post_webhook(
        [
            {"event_id": "b-1", "tracking_number": tracking, "status": "in_transit"},
            {"event_id": "b-2", "tracking_number": tracking, "status": "teleported"},
        ]
    )

    # then
    assert response.status_code == 400
    assert "status" in response.json()
    assert nothing_recorded(shipped, events)
