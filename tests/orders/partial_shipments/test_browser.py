"""In the browser: the packer ships what is available of an order that ships in parts; the customer follows
the "part of your order has shipped" email to the order page and sees each parcel and what is to come."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from orders.models import Order
from shipping.models import Shipment
from tests.factories import StaffFactory

DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.browser
def test_ship_what_is_available_then_the_customer_sees_the_parts(
    page, live_server, browser_login, screenshot, partial_order, shelf, mailoutbox
):
    # given 3 cups (2 in stock) and a pot (none in stock) that may ship in parts
    order = partial_order([("PS-CUP", 3, 2), ("PS-POT", 1, 0)], customer_name="Ann Example")
    page.set_viewport_size(DESKTOP)
    browser_login(page, StaffFactory(role="warehouse", username="walt"))

    # the pack page shows per line what can ship now and what waits
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/pack/")
    progress = page.get_by_role("region", name="Ships in parts")

    def line(sku: str):
        return progress.get_by_role("row", name=re.compile(sku))

    expect(line("PS-CUP")).to_have_text(re.compile(r"PS-CUP\s*Tea Cup\s*3\s*0\s*2\s*1"))
    expect(line("PS-POT")).to_have_text(re.compile(r"PS-POT\s*Tea Pot\s*1\s*0\s*0\s*1"))
    page.get_by_label("Packed: 2 × PS-CUP").check()
    page.get_by_role("button", name="Ship what is available").click()

    # a part shipped: the order is still being fulfilled, its first parcel is listed with its tracking
    expect(page.get_by_text(re.compile(f"Part of order {order.number} shipped"))).to_be_visible()
    shipment = Shipment.objects.get(order=order)
    expect(page.get_by_text(shipment.tracking_number)).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for stock")).to_be_visible()
    expect(line("PS-CUP")).to_have_text(re.compile(r"PS-CUP\s*Tea Cup\s*3\s*2\s*0\s*1"))
    assert Order.objects.get(pk=order.pk).status == "fulfilling"
    screenshot(page, "dashboard-pack-partly-shipped")

    # the worklist says what shipped and what is backordered
    page.goto(f"{live_server.url}/dashboard/fulfillment/")
    expect(page.get_by_role("row").filter(has_text=order.number)).to_contain_text("2 shipped · 2 backordered")
    screenshot(page, "dashboard-fulfillment-partly-shipped")

    # the customer follows the email to the order page
    email = next(m for m in mailoutbox if m.subject == f"Part of your order {order.number} has shipped")
    path = re.search(re.escape(settings.SITE_URL) + r"(/track/o/[^/\s\"]+/)", email.body).group(1)
    page.goto(live_server.url + path)
    expect(page.get_by_text("Partly shipped: the rest follows")).to_be_visible()
    expect(page.get_by_text(shipment.tracking_number)).to_be_visible()
    expect(page.get_by_text("In this parcel: 2 × Tea Cup")).to_be_visible()
    to_come = page.locator(".to-come")
    expect(to_come.get_by_role("heading", name="Still to come")).to_be_visible()
    expect(to_come).to_contain_text("1 × Tea Cup")
    expect(to_come).to_contain_text("1 × Tea Pot")
    screenshot(page, "portal-order-partly-shipped")
