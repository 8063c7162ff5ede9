"""In the browser: the warehouse picks, packs in two parcels, upgrades to express, ships and prints the label."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Order
from shipping.models import Shipment
from tests.factories import StaffFactory


@pytest.mark.browser
def test_warehouse_packs_two_parcels_ships_express_and_prints_the_label(
    page, live_server, browser_login, screenshot, order_in_state, kitchen
):
    # given an order waiting to be packed, and another waiting to start
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])
    order_in_state("confirmed", lines=[("KIT-MUG", 1)])
    browser_login(page, StaffFactory(role="warehouse", username="walt"))

    # the work list
    page.goto(f"{live_server.url}/dashboard/fulfillment/")
    expect(page.get_by_role("heading", name="Fulfillment")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=order.number)
    expect(row.get_by_role("link", name="Pick list")).to_be_visible()
    screenshot(page, "dashboard-fulfillment")

    # its pick list, in bin order
    row.get_by_role("link", name="Pick list").click()
    expect(page.get_by_role("heading", name="Pick list")).to_be_visible()
    expect(page.get_by_role("checkbox", name=f"Picked 1 × KIT-PAN for {order.number}")).to_be_visible()
    screenshot(page, "dashboard-pick-list")
    page.go_back()

    # pack: two parcels, every line ticked, express instead of the customer's standard
    page.get_by_role("row").filter(has_text=order.number).get_by_role("link", name="Pack").click()
    expect(page.get_by_role("heading", name=re.compile("Pack and ship"))).to_be_visible()
    page.get_by_role("button", name="Add a parcel").click()
    expect(page.get_by_role("columnheader", name="Parcel 2")).to_be_visible()
    page.get_by_label("Packed: 2 × KIT-MUG").check()
    page.get_by_label("Packed: 1 × KIT-PAN").check()
    page.get_by_label("Quantity of KIT-PAN in parcel 1").fill("0")
    page.get_by_label("Quantity of KIT-PAN in parcel 2").fill("1")
    expect(page.get_by_label("Weight of parcel 1 (kg)")).to_have_value("0.800")
    expect(page.get_by_label("Weight of parcel 2 (kg)")).to_have_value("2.500")
    page.get_by_label(re.compile("Express")).check()
    screenshot(page, "dashboard-pack")
    page.get_by_role("button", name="Ship order").click()

    # shipped: the parcels with their tracking numbers and papers
    expect(page.get_by_role("heading", name=re.compile(f"Shipped {order.number}"))).to_be_visible()
    shipments = list(Shipment.objects.filter(order=order).order_by("pk"))
    assert [(s.service, s.contents) for s in shipments] == [
        ("express", [{"sku": "KIT-MUG", "quantity": 2}]),
        ("express", [{"sku": "KIT-PAN", "quantity": 1}]),
    ]
    assert Order.objects.get(pk=order.pk).status == "shipped"
    for shipment in shipments:
        expect(page.get_by_text(shipment.tracking_number)).to_be_visible()
    screenshot(page, "dashboard-shipped-labels")

    label = page.get_by_role("link", name=re.compile("Print label \\(PDF\\)")).first
    response = page.request.get(live_server.url + label.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
