"""The order list's product filter in a real browser: type a SKU, see its orders, remove the chip."""

import pytest

from tests.factories import OrderFactory, ProductFactory, StaffFactory, StockItemFactory

pytestmark = pytest.mark.browser


def test_filter_orders_by_product_and_remove_the_chip(page, live_server, browser_login, screenshot, commit, warehouse):
    # given one order of a mug and one of tea
    mug = StockItemFactory(product=ProductFactory(sku="KIT-MUG-350"), warehouse=warehouse).product
    tea = StockItemFactory(product=ProductFactory(sku="TEA-100"), warehouse=warehouse).product
    with commit():
        with_mug = OrderFactory(lines=[(mug.sku, 1)])
        with_tea = OrderFactory(lines=[(tea.sku, 1)])
    browser_login(page, StaffFactory(username="dana", role="order desk"))
    page.goto(f"{live_server.url}/dashboard/orders/")

    # when the SKU is typed in any case and applied
    page.get_by_label("Product SKU").fill("kit-mug-350")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Product: KIT-MUG-350").wait_for()

    # then only the mug's order is listed, and the chip removes the filter again
    results = page.locator("#results")
    assert results.get_by_role("link", name=with_mug.number).is_visible()
    assert results.get_by_role("link", name=with_tea.number).count() == 0
    screenshot(page, "dashboard-orders-sku-filter")
    page.get_by_role("link", name="Remove the product filter").click()
    results.get_by_role("link", name=with_tea.number).wait_for()
