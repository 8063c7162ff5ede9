"""In the browser: a camera is packed, waits for its quality check, the inspector records the serial and it ships."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.factories import ProductFactory, StaffFactory, StockItemFactory


@pytest.mark.browser
def test_inspector_checks_a_packed_order_and_it_ships(
    page, live_server, browser_login, screenshot, order_in_state, warehouse
):
    # given a camera (QC with its serial) in fulfillment
    camera = ProductFactory(
        sku="CAM-1", name="Camera", weight_kg=Decimal("0.8"), requires_qc=True, qc_checks=["serial"]
    )
    StockItemFactory(product=camera, warehouse=warehouse, on_hand=5)
    order = order_in_state("fulfilling", lines=[("CAM-1", 1)])
    browser_login(page, StaffFactory(role="warehouse", username="ines"))

    # packed: it goes to its quality check instead of shipping
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/pack/")
    page.get_by_label("Packed: 1 × CAM-1").check()
    page.get_by_role("button", name="Ship order").click()
    expect(page.get_by_role("heading", name=re.compile(f"Quality check {order.number}"))).to_be_visible()

    # the checklist: the default checks and the serial
    page.get_by_label("Item matches SKU").check()
    page.get_by_label("No damage").check()
    page.get_by_label("Serial of CAM-1").fill("SN-0042")
    screenshot(page, "dashboard-quality-check")
    page.get_by_role("button", name="Record the check").click()

    # then it ships as packed
    expect(page.get_by_text(f"Quality check passed: order {order.number} shipped.")).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == "shipped"
