"""The order desk imports a file in the browser: upload, the dry run's bad rows, import, the result."""

import pytest

from orders.models import Order
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory, storefront_with_key
from tests.orders.imports.conftest import GOOD, csv_bytes, row


@pytest.mark.browser
def test_import_a_file_after_its_dry_run(page, live_server, browser_login, screenshot, transactional_db, tmp_path):
    warehouse = WarehouseFactory(code="MAIN")
    for sku in ("MUG-1", "TEA-1"):
        StockItemFactory(product=ProductFactory(sku=sku), warehouse=warehouse, on_hand=50)
    storefront_with_key("Web shop")
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes([*GOOD, row(external_ref="WEB-9", sku="NOPE")]))
    browser_login(page, StaffFactory(role="order desk"))

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()

    page.get_by_role("heading", name="Dry run").wait_for()
    page.get_by_text("Unknown SKU 'NOPE'.").wait_for()
    screenshot(page, "dashboard-import-dry-run")
    assert not Order.objects.exists()
    page.get_by_role("button", name="Import 2 orders").click()

    page.get_by_text("2 created, 0 skipped (already imported), 1 failed, of 3 orders.").wait_for()
    screenshot(page, "dashboard-import-done")
    assert Order.objects.filter(channel="import").count() == 2
