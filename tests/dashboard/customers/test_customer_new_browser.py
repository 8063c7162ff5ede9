"""A manager sets up a business customer on account before their first order, in the browser."""

import pytest

from orders.models import Customer
from tests.dashboard.browser import fill_in
from tests.factories import StaffFactory


@pytest.mark.browser
def test_new_customer_on_account(page, live_server, browser_login, screenshot, transactional_db):
    browser_login(page, StaffFactory(role="manager"))

    page.goto(f"{live_server.url}/dashboard/customers/")
    page.get_by_role("link", name="New customer").click()
    page.get_by_role("heading", name="New customer").wait_for()
    fill_in(page, {"Name": "Acme Trading", "Email": "buyer@acme.test"})
    page.get_by_label("On account").check()
    fill_in(
        page,
        {
            "Credit limit": "5000",
            "Address line 1": "1 Harbour Road",
            "City": "Hamburg",
            "Postal code": "20457",
            "Country": "DE",
        },
    )
    screenshot(page, "dashboard-customer-new")
    page.get_by_role("button", name="Create customer").click()

    page.get_by_text("Created the customer Acme Trading (on account, credit limit 5000.00).").wait_for()
    customer = Customer.objects.get()
    assert (customer.payment_terms, str(customer.credit_limit)) == ("on_account", "5000.00")
    assert customer.addresses.get().city == "Hamburg"
