"""Finance looks up a customer and sees their credit in the browser."""

from decimal import Decimal

import pytest

from tests.factories import CustomerFactory, OrderFactory, StaffFactory, StockItemFactory, WarehouseFactory


@pytest.mark.browser
def test_customer_list_and_detail(page, live_server, browser_login, screenshot, transactional_db):
    item = StockItemFactory(warehouse=WarehouseFactory(code="MAIN"))
    acme = CustomerFactory(
        name="Acme Trading", email="buyer@acme.test", payment_terms="on_account", credit_limit=Decimal("500")
    )
    for name in ("Ann Example", "Bob Builder", "Cleo Patel", "Dan Okafor"):
        CustomerFactory(name=name)
    OrderFactory(
        customer_email=acme.email, lines=[(item.product.sku, 3)], payment_method="on_account", payment_token=""
    )
    browser_login(page, StaffFactory(role="finance"))

    page.goto(f"{live_server.url}/dashboard/customers/")
    page.get_by_label("Payment terms").select_option("on_account")
    page.locator("#customer-rows").get_by_text("1 customer.").wait_for()
    page.get_by_label("Payment terms").select_option("")
    page.locator("#customer-rows").get_by_text("5 customers.").wait_for()
    screenshot(page, "dashboard-customers")

    page.get_by_role("link", name="Acme Trading").click()
    page.get_by_role("heading", name="Acme Trading").wait_for()
    assert page.get_by_text("Credit remaining").first.is_visible()
    screenshot(page, "dashboard-customer-detail")
