"""Laptop and tablet widths: the pack grid keeps SKUs and bins on one line, errors do not widen the page,
and the work list keeps its ship-by date on one line."""

import pytest
from playwright.sync_api import expect

from tests.factories import ProductFactory, StaffFactory, StockItemFactory

LINES_OF_TEXT = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
}"""


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def long_codes(warehouse):
    """Products whose SKUs and bins are as long as a real warehouse's."""
    products = []
    for n in range(3):
        product = ProductFactory(sku=f"KIT-CAST-IRON-PAN-{n}", name=f"Cast iron skillet with a long name, size {n}")
        StockItemFactory(product=product, warehouse=warehouse, on_hand=20, bin_location=f"A-01-{n + 1}")
        products.append(product)
    return products


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 820])
def test_pack_grid_keeps_codes_whole_and_errors_inside_the_page(
    width, page, live_server, browser_login, screenshot, order_in_state, long_codes
):
    # given an order packed into four parcels at this width
    order = order_in_state("fulfilling", lines=[(p.sku, 2) for p in long_codes])
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, StaffFactory(role="warehouse", username="walt"))
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/pack/")
    for parcel in range(2, 5):
        page.get_by_role("button", name="Add a parcel").click()
        expect(page.get_by_role("columnheader", name=f"Parcel {parcel}")).to_be_visible()

    # when shipped with nothing ticked and three empty parcels
    page.get_by_role("button", name="Ship order").click()
    expect(page.get_by_text("Nothing was shipped yet")).to_be_visible()
    screenshot(page, f"dashboard-pack-errors-{width}")

    # then nothing is wider than the window, and every SKU and bin is on one line
    assert page_width(page) <= width
    for n, product in enumerate(long_codes):
        sku = page.get_by_role("rowheader", name=product.sku, exact=True)
        assert sku.evaluate(LINES_OF_TEXT) == 1, f"{product.sku} is split over lines"
        bin_cell = page.locator(".pack-grid td").filter(has_text=f"A-01-{n + 1}")
        assert bin_cell.evaluate(LINES_OF_TEXT) == 1, f"bin A-01-{n + 1} is split over lines"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 820])
def test_work_list_keeps_the_ship_by_date_on_one_line(
    width, page, live_server, browser_login, screenshot, order_in_state, long_codes
):
    # given
    order = order_in_state("fulfilling", lines=[(long_codes[0].sku, 1)])
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, StaffFactory(role="warehouse", username="walt"))

    # when
    page.goto(f"{live_server.url}/dashboard/fulfillment/")
    screenshot(page, f"dashboard-fulfillment-{width}")

    # then the ship-by cell (whatever the date's format) is one line of text
    headers = page.locator(".worklist thead th").all_inner_texts()
    row = page.get_by_role("row").filter(has_text=order.number)
    ship_by = row.locator("th, td").nth(headers.index("Ship by"))
    assert ship_by.inner_text().strip()
    assert ship_by.evaluate(LINES_OF_TEXT) == 1
    assert page_width(page) <= width
