"""With no webhook secret configured, no carrier event is accepted: an empty key is one anyone can sign with."""

from shipping.models import TrackingEvent


def test_an_event_signed_with_an_empty_secret_is_refused(order_in_state, post_webhook, settings):
    # given: no secret configured, and an event signed with the empty key
    order = order_in_state("shipped")
    settings.DEMO_CARRIER_WEBHOOK_SECRET = ""
    tracking = order.shipments.get().tracking_number

    # when
    response = post_webhook({"event_id": "evt-1", "tracking_number": tracking, "status": "delivered"})

    # then
    assert response.status_code == 401
    assert not TrackingEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == "shipped"
