"""A warehouse clerk moves stock between warehouses and counts a shelf, in the browser."""

import re

import pytest

from inventory.models import StockItem, Transfer
from inventory.services import stock_receive_into
from tests.factories import ProductFactory, StaffFactory, WarehouseFactory


@pytest.mark.browser
def test_a_transfer_and_a_cycle_count(page, live_server, browser_login, screenshot, transactional_db, reference_data):
    east = WarehouseFactory(code="NJ1", name="Newark", priority=1)
    west = WarehouseFactory(code="NV1", name="Reno", priority=2)
    for sku, name, units, bin_location in (
        ("KIT-MUG-350", "Stoneware Mug 350 ml", 40, "A-01-1"),
        ("KIT-GRN-BUR", "Burr Coffee Grinder", 12, "A-01-2"),
        ("OFF-PEN-FT", "Fountain Pen", 30, "A-02-1"),
    ):
        product = ProductFactory(sku=sku, name=name, reorder_point=5)
        stock_receive_into(
            product_id=product.pk, warehouse_id=east.pk, quantity=units, reason="PO 1", bin_location=bin_location
        )
    browser_login(page, StaffFactory(role="warehouse", username="walt"))

    # a transfer of mugs and grinders from Newark to Reno
    page.goto(f"{live_server.url}/dashboard/inventory/transfers/")
    page.get_by_role("link", name="New transfer").click()
    page.get_by_label(re.compile(r"^From\b")).select_option(label="NJ1")
    page.get_by_label(re.compile(r"^To\b")).select_option(label="NV1")
    page.get_by_label("SKU, line 1").fill("KIT-MUG-350")
    page.get_by_label("Quantity, line 1").fill("10")
    page.get_by_label("SKU, line 2").fill("KIT-GRN-BUR")
    page.get_by_label("Quantity, line 2").fill("4")
    page.get_by_role("button", name="Create transfer").click()
    page.get_by_text("created: pick it when the goods are ready").wait_for()
    number = Transfer.objects.get().number

    page.get_by_role("button", name="Pick").click()
    page.get_by_text(f"Transfer {number} picked: the units are reserved at NJ1.").wait_for()
    page.get_by_role("button", name="Ship").click()
    page.get_by_text(f"Transfer {number} shipped: in transit to NV1.").wait_for()
    screenshot(page, "dashboard-transfer-in-transit")
    page.get_by_label("KIT-GRN-BUR received").fill("3")
    page.get_by_role("button", name="Receive").click()
    page.get_by_text(f"Transfer {number} received at NV1. 1 unit did not arrive.").wait_for()
    screenshot(page, "dashboard-transfer-received")
    assert StockItem.objects.get(product__sku="KIT-GRN-BUR", warehouse=west).on_hand == 3

    # a count of aisle A-01 in Newark
    page.get_by_role("link", name="Cycle counts").click()
    page.get_by_role("link", name="New count sheet").click()
    page.get_by_label("Warehouse").select_option(label="NJ1")
    page.get_by_label("From bin").fill("A-01")
    page.get_by_label("To bin").fill("A-01")
    page.get_by_role("button", name="Make the count sheet").click()
    page.get_by_text("print it, count, and enter the counts here").wait_for()
    page.get_by_label("Counted KIT-MUG-350").fill("29")
    page.get_by_role("button", name="Save counts", exact=True).click()
    page.get_by_text("Counts saved: 1 of 2 lines counted.").wait_for()
    screenshot(page, "dashboard-count-sheet")
    page.get_by_label("Counted KIT-GRN-BUR").fill("8")
    page.get_by_role("button", name="Save and post count").click()
    page.get_by_text("posted: the counted lines are booked in the ledger").wait_for()

    mugs = StockItem.objects.get(product__sku="KIT-MUG-350", warehouse=east)
    assert mugs.on_hand == 29  # 40 received, 10 transferred, 1 missing on the shelf
    page.get_by_role("link", name="Printable sheet").click()
    page.get_by_role("heading", name="Count sheet").wait_for()
    screenshot(page, "dashboard-count-sheet-print")
