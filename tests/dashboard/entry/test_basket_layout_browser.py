"""The basket fits its card on a laptop and a tablet: the Remove buttons are never scrolled out of sight."""

import pytest

from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 1024, 820])
def test_the_basket_fits_without_sideways_scrolling(page, live_server, browser_login, screenshot, width):
    # given: products stocked in three warehouses, with long names
    warehouses = [WarehouseFactory(code=code, priority=n) for n, code in enumerate(("NJ1", "NV1", "NL1"), start=1)]
    for sku, name in (("GAR-CAN-8L", "Galvanised Watering Can 8 l"), ("ELE-CBL-2M", "USB-C Cable 2 m")):
        product = ProductFactory(sku=sku, name=name, price="38.00")
        for warehouse in warehouses:
            StockItemFactory(product=product, warehouse=warehouse, on_hand=118)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, StaffFactory(role="order desk"))
    page.goto(f"{live_server.url}/dashboard/orders/new/")

    # when
    for sku in ("GAR-CAN-8L", "ELE-CBL-2M"):
        page.get_by_label("Find a product").fill(sku)
        page.get_by_role("button", name=f"Add {sku}").click()
        page.get_by_label(f"Quantity of {sku}").wait_for()

    # then
    scroll, visible = page.evaluate(
        "() => { const w = document.querySelector('#basket .table-wrap'); return [w.scrollWidth, w.clientWidth]; }"
    )
    assert scroll <= visible
    assert page.get_by_role("button", name="Remove GAR-CAN-8L").is_visible()
    if width == 1366:
        screenshot(page, "qa-entry-basket-laptop")
