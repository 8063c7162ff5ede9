"""Finance in a real browser: from the unpaid invoices queue to a recorded payment; the desk's card retry form."""

import pytest

from orders.models import Order
from payments.models import Payment
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


def test_finance_records_an_invoice_payment(page, live_server, browser_login, screenshot, on_account_order):
    # given an open invoice and finance signed in
    order = on_account_order()
    browser_login(page, StaffFactory(username="fiona", first_name="Fiona", last_name="Fin", role="finance"))

    # when finance opens it from the queue on Home and records the bank transfer
    page.goto(f"{live_server.url}/dashboard/")
    queue = page.get_by_role("region", name="Unpaid invoices")
    row = queue.get_by_role("listitem").filter(has_text=order.number)
    assert f"{order.total} {order.currency}" in row.inner_text()
    screenshot(page, "dashboard-finance-home")
    queue.get_by_role("link", name=order.number).click()
    page.wait_for_url(f"**/dashboard/orders/{order.number}/")
    page.get_by_text("Record invoice payment…").click()
    page.get_by_label("Reference").fill("BT-2024-0042")
    page.get_by_role("button", name=f"Record payment of {order.total} {order.currency}").click()

    # then the page confirms it and the payment shows as settled, with who recorded it on the timeline
    page.get_by_text("Invoice payment recorded").wait_for()
    assert page.get_by_text("Settled (invoice paid) · received").is_visible()
    assert page.get_by_role("region", name="Timeline").get_by_text("fiona").is_visible()
    assert page.get_by_text("Record invoice payment…").count() == 0
    assert Payment.objects.get(order=order).status == "settled"
    screenshot(page, "dashboard-finance-invoice-settled")


def test_desk_retries_a_declined_card(page, live_server, browser_login, screenshot, declined_order):
    # given
    order = declined_order()
    browser_login(page, StaffFactory(username="dana", role="order desk"))
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")

    # when a token with a space is entered, the error is beside the field
    page.get_by_label("New card token").fill("tok decline")
    page.get_by_role("button", name="Charge the new card").click()
    page.get_by_text("without spaces").wait_for()
    screenshot(page, "dashboard-finance-card-retry")

    # and a good card confirms the order
    page.get_by_label("New card token").fill("tok_ok")
    page.get_by_role("button", name="Charge the new card").click()
    page.get_by_text("The new card was authorized").wait_for()
    assert Order.objects.get(pk=order.pk).status == "confirmed"
