"""In the browser: a customer returns one of three mugs from the order page their email linked to."""

import pytest
from playwright.sync_api import expect

from portal.links import tracking_path
from returns.models import ReturnRequest


@pytest.mark.browser
def test_customer_requests_a_return(page, live_server, screenshot, delivered_order):
    # given
    order = delivered_order(quantity=3)
    page.goto(live_server.url + tracking_path(order.number))

    # when
    page.get_by_role("link", name="Return or exchange items").click()
    page.get_by_label("Quantity of MUG-1 to return").fill("1")
    page.get_by_label("Reason for MUG-1").select_option("no_longer_needed")
    page.get_by_label("Comment on MUG-1").fill("One was enough")
    screenshot(page, "portal-return-request")
    page.get_by_role("button", name="Request the return").click()

    # then
    r = ReturnRequest.objects.get(order=order)
    expect(page.get_by_role("heading", name=f"Return {r.number}: Requested")).to_be_visible()
    screenshot(page, "portal-return-requested")
