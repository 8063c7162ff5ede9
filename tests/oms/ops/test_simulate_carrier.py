"""``manage.py simulate_carrier``: the demo carrier's tracking events, applied directly or via the webhook."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.management.commands.simulate_carrier import tracking_payload, webhook_post
from orders.models import OrderStatus
from shipping.models import Shipment, TrackingEvent


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("simulate_carrier", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def carrier_statuses(order) -> list[str]:
    return list(
        TrackingEvent.objects.filter(shipment__order=order)
        .order_by("occurred_at", "pk")
        .values_list("status", flat=True)
    )


def test_direct_mode_carries_a_shipped_order_to_delivered(order_in_state, commit, mailoutbox):
    # Given
    order = order_in_state("shipped")
    mailoutbox.clear()

    # When
    with commit():
        out = simulate("--order", order.number.lower())

    # Then
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at is not None
    assert carrier_statuses(order) == ["in_transit", "out_for_delivery", "delivered"]
    assert [m.subject for m in mailoutbox] == [f"Order {order.number} was delivered"]
    assert f"{order.number}  order is now delivered" in out


def test_stops_where_asked_and_reports_a_failed_attempt(order_in_state, commit):
    # Given
    order = order_in_state("shipped")

    # When
    with commit():
        simulate("--all", "--until", "out_for_delivery", "--exception")

    # Then
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_TRANSIT
    assert carrier_statuses(order) == ["in_transit", "exception", "out_for_delivery"]
    assert order.shipments.get().status == Shipment.Status.OUT_FOR_DELIVERY
    assert order.events.filter(note__startswith="Carrier exception").exists()


def test_running_again_sends_nothing_new(order_in_state, commit):
    # Given: an order the carrier has picked up
    order = order_in_state("shipped")
    with commit():
        simulate("--order", order.number, "--until", "in_transit")
    events = order.events.count()

    # When / Then: the same request again has nothing to add
    assert "nothing new" in simulate("--order", order.number, "--until", "in_transit")
    assert order.events.count() == events
    assert carrier_statuses(order) == ["in_transit"]

    # When / Then: once delivered, the order is no longer the carrier's business
    with commit():
        simulate("--all")
    assert "nothing to do" in simulate("--all")
    assert carrier_statuses(order) == ["in_transit", "out_for_delivery", "delivered"]


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "--order NUMBER, or use --all"),
        (["--order", "NOPE1234"], "No order NOPE1234"),
        (["--all", "--url", "file:///etc/passwd"], "http:// or https://"),
    ],
)
def test_refuses_what_it_cannot_do(db, args, message):
    with pytest.raises(CommandError, match=message):
        simulate(*args)


def test_refuses_an_order_that_has_not_shipped(order_in_state):
    order = order_in_state("confirmed")

    with pytest.raises(CommandError, match="only shipped or in-transit orders"):
        simulate("--order", order.number)


@pytest.mark.django_db(transaction=True)
def test_url_mode_posts_signed_events_to_the_webhook(reference_data, order_in_state, live_server, settings, mailoutbox):
    # Given
    order = order_in_state("shipped")
    mailoutbox.clear()

    # When
    out = simulate("--all", "--url", live_server.url)

    # Then: the server took each event through its webhook and moved the order
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert carrier_statuses(order) == ["in_transit", "out_for_delivery", "delivered"]
    assert [m.subject for m in mailoutbox] == [
        f"Order {order.number} is out for delivery today",
        f"Order {order.number} was delivered",
    ]
    assert f"{order.number}  order is now delivered" in out

    # Then: a wrongly signed event is refused, and the command says how
    shipment = order.shipments.select_related("warehouse", "order__shipping_address").get()
    payload = tracking_payload(shipment=shipment, status="exception", at=order.delivered_at)
    with pytest.raises(CommandError, match="401"):
        webhook_post(url=live_server.url, payload=payload, secret="not-the-secret")
    assert not TrackingEvent.objects.filter(status="exception").exists()
