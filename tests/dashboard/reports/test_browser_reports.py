"""The Reports pages in a real browser: charts drawn by the vendored Chart.js beside their tables, no console
errors, the export counts filled in and a CSV downloaded."""

import pytest
from django.utils import timezone

from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory
from tests.reporting.records import event, order_row

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(db):
    now = timezone.now()
    StaffFactory(username="walt"), StaffFactory(username="dana")
    StockItemFactory(product=ProductFactory(sku="MUG", name="Mug"), warehouse=WarehouseFactory(code="NJ1"), on_hand=7)
    for n in range(3):
        order = order_row(now, total=f"{20 + n}.00", channel=["web", "phone", "web"][n])
        event(order, now, "fulfilling", from_status="confirmed", actor="walt")
    held = order_row(now, status="on_hold", hold_reason="fraud_review")
    event(held, now, "on_hold", from_status="confirmed", actor="dana", note="Fraud review")


def test_report_pages_draw_their_charts_without_console_errors(page, live_server, browser_login, screenshot, shop):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, StaffFactory(username="fiona", role="finance"))

    for group in ["sales", "exceptions", "team"]:
        page.goto(f"{live_server.url}/dashboard/reports/{group}/")
        canvases = page.locator("canvas[data-chart]")
        assert canvases.count() >= 1
        drawn = page.evaluate("[...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))")
        assert drawn, f"a chart on {group} was not drawn"
        screenshot(page, f"dashboard-reports-{group}")

    assert errors == []


def test_the_exports_page_counts_rows_and_downloads_csv(page, live_server, browser_login, screenshot, shop):
    browser_login(page, StaffFactory(username="fiona", role="finance"))
    page.goto(f"{live_server.url}/dashboard/reports/exports/")

    row = page.get_by_role("row").filter(has_text="Orders").first
    row.get_by_role("link", name="XLSX: Orders").wait_for()  # the count arrived with the XLSX link
    assert row.locator("td.num").inner_text() == "4"
    screenshot(page, "dashboard-reports-exports")
    with page.expect_download() as download:
        row.get_by_role("link", name="CSV: Orders").click()

    assert download.value.suggested_filename.startswith("orders-")
    assert len(open(download.value.path()).read().splitlines()) == 1 + 4
