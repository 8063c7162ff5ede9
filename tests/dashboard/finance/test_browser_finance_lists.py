"""Finance in a real browser, at laptop and tablet widths: a part payment on the order page (balance due and the
receipts), the awaiting-funds list and the invoice ageing, each within the window."""

import pytest

from orders.models import Order
from payments.models import Payment
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser

WIDTHS = [1366, 820]


def _fits(page) -> bool:
    """The page within the window, and each table within its box (no column scrolled out of sight)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && [...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_finance_records_a_part_payment_and_sees_the_balance(
    page, live_server, browser_login, screenshot, order_in_state, width
):
    # given an order awaiting its bank transfer, and finance signed in
    order = order_in_state("credit_approved")
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, StaffFactory(username="fiona", role="finance"))

    # when finance finds it on the awaiting-funds list and records part of the money
    page.goto(f"{live_server.url}/dashboard/finance/awaiting-funds/")
    row = page.get_by_role("row").filter(has_text=order.number)
    assert order.customer.name in row.inner_text()
    assert _fits(page)
    screenshot(page, f"dashboard-finance-awaiting-funds-{width}")
    row.get_by_role("link", name=order.number).click()
    page.wait_for_url(f"**/dashboard/orders/{order.number}/")
    page.get_by_text("Mark paid…").click()
    page.get_by_label("Bank reference").fill("BT-PART-1")
    page.get_by_label("Amount received").fill("1.00")
    page.get_by_role("button", name="Mark paid").click()

    # then the page says what was paid and what is still due, with the receipt listed
    page.get_by_text("Part payment recorded").wait_for()
    assert page.locator(".part-paid").get_by_text("balance due").is_visible()
    assert page.get_by_role("table", name="Money received").get_by_text("BT-PART-1").is_visible()
    assert _fits(page)
    screenshot(page, f"dashboard-finance-part-payment-{width}")
    assert Order.objects.get(pk=order.pk).status == "credit_approved"
    assert Payment.objects.get(order=order).received_amount == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_the_ageing_page_fits_and_offers_the_csv(page, live_server, browser_login, screenshot, on_account_order, width):
    order = on_account_order()
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, StaffFactory(username="fiona", role="finance"))

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Finance").click()
    page.get_by_role("link", name="Invoice ageing").click()

    table = page.get_by_role("table", name="Open invoices by days past due")
    assert order.customer.name in table.inner_text()
    assert page.get_by_role("link", name="Download CSV").is_visible()
    assert _fits(page)
    screenshot(page, f"dashboard-finance-ageing-{width}")
