"""A warehouse clerk looks at stock and books an adjustment in the browser."""

import pytest

from inventory.models import StockItem, StockMovement
from inventory.services import stock_receive
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory


@pytest.mark.browser
def test_stock_pages_and_an_adjustment(page, live_server, browser_login, screenshot, transactional_db):
    main = WarehouseFactory(code="NJ1", name="Newark", priority=1)
    west = WarehouseFactory(code="NV1", name="Reno", priority=2)
    mug = ProductFactory(sku="KIT-MUG-350", name="Stoneware Mug 350 ml", reorder_point=10)
    item = StockItemFactory(product=mug, warehouse=main, on_hand=30, reserved=4)
    StockItemFactory(product=mug, warehouse=west, on_hand=6)
    for sku, name in (("KIT-GRN-BUR", "Burr Coffee Grinder"), ("OFF-PEN-FT", "Fountain Pen")):
        StockItemFactory(product=ProductFactory(sku=sku, name=name, reorder_point=5), warehouse=main, on_hand=3)
    stock_receive(stock_item_id=item.pk, quantity=20, reason="PO 4711", actor="walt")
    browser_login(page, StaffFactory(role="warehouse", username="walt"))

    page.goto(f"{live_server.url}/dashboard/inventory/")
    page.get_by_label("Search SKU or name").fill("mug")
    page.locator("#stock-rows").get_by_text("NV1").wait_for()
    screenshot(page, "dashboard-inventory")
    page.get_by_role("link", name="Low stock").click()
    page.get_by_role("heading", name="Low stock").wait_for()
    screenshot(page, "dashboard-low-stock")

    page.goto(f"{live_server.url}/dashboard/inventory/sku/KIT-MUG-350/")
    adjust = page.locator("form", has=page.get_by_role("heading", name="Adjust stock"))
    adjust.get_by_label("Warehouse").select_option(label="NJ1 (50 on hand, 4 reserved)")
    adjust.get_by_label("Change on hand by").fill("-47")
    adjust.get_by_label("Reason").fill("Cycle count")
    adjust.get_by_role("button", name="Adjust stock").click()
    page.get_by_text("At most 46 can be removed: 50 on hand, 4 of them reserved for orders.").wait_for()
    assert StockMovement.objects.count() == 1

    adjust = page.locator("form", has=page.get_by_role("heading", name="Adjust stock"))
    adjust.get_by_label("Change on hand by").fill("-3")
    adjust.get_by_role("button", name="Adjust stock").click()
    page.get_by_text("Adjusted KIT-MUG-350 in NJ1 by -3: now 47 on hand, 43 available.").wait_for()
    screenshot(page, "dashboard-ledger")

    assert StockItem.objects.get(pk=item.pk).on_hand == 47
    latest = StockMovement.objects.order_by("-pk").first()
    assert (latest.kind, latest.on_hand_delta, latest.reason, latest.actor) == ("adjustment", -3, "Cycle count", "walt")
