"""The order page's lines table, with a backordered line, fits the screen at laptop and tablet widths."""

import pytest

from tests.factories import OrderFactory, ProductFactory, StaffFactory, StockItemFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 820])
def test_backordered_lines_on_the_order_page(page, live_server, browser_login, screenshot, commit, warehouse, width):
    # given an order shipping in parts that waits for 3 of its 8 lamps
    StockItemFactory(product=ProductFactory(sku="LAMP-1", name="Desk lamp"), warehouse=warehouse, on_hand=5)
    StockItemFactory(product=ProductFactory(sku="BULB-1", name="Bulb"), warehouse=warehouse, on_hand=50)
    with commit():
        order = OrderFactory(lines=[("LAMP-1", 8), ("BULB-1", 2)], ship_partial=True)
    clerk = StaffFactory(username="dana", role="order desk")

    # when
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, clerk)
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")
    table = page.get_by_role("table").first
    table.wait_for()
    screenshot(page, f"dashboard-order-backordered-{width}")

    # then
    assert table.get_by_role("columnheader", name="Backordered").is_visible()
    row = table.get_by_role("row").filter(has_text="LAMP-1")
    assert [c.strip() for c in row.get_by_role("cell").all_inner_texts()][-3:] == ["5", "3", "0"]
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"the page is {page_width}px wide in a {width}px window"
