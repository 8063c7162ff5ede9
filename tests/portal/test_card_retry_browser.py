"""Paying again with a new card from the order page, on a phone, in a real browser (Debian's chromium)."""

import pytest

from orders.models import Order
from portal.links import tracking_path
from tests.factories import OrderFactory

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_a_customer_whose_card_was_declined_pays_with_another_card_on_a_phone(
    page, live_server, mug, commit, screenshot
):
    # given an order held because the card was declined
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], payment_token="tok_decline")
    assert Order.objects.get(pk=order.pk).hold_reason == "payment_failed"

    # when the customer opens the order page on a phone
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + tracking_path(order.number))
    form = page.locator("form#pay")
    assert form.get_by_role("heading", name="Pay with another card").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "portal-card-retry-phone")

    # and tries a card that is declined too
    page.get_by_label("New card").fill("tok_decline")
    page.get_by_role("button", name="Pay").click()

    # then they read it and may try again
    assert page.get_by_role("status").filter(has_text="This card was declined too").is_visible()
    screenshot(page, "portal-card-retry-declined-phone")

    # when a card that is accepted
    page.get_by_label("New card").fill("tok_ok")
    page.get_by_role("button", name="Pay").click()

    # then the order goes on
    assert page.get_by_role("status").filter(has_text="your order is confirmed").is_visible()
    assert not page.locator("form#pay").count()
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    screenshot(page, "portal-card-retry-paid-phone")
