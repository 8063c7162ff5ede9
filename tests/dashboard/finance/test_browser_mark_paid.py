"""Finance in a real browser marks a bank transfer order paid, with the bank's reference."""

import pytest
from django.utils import timezone

from orders.models import Order
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


def test_finance_marks_a_bank_transfer_paid_with_its_reference(
    page, live_server, browser_login, screenshot, order_in_state
):
    # given a bank transfer awaiting its funds, and finance signed in
    order = order_in_state("credit_approved")
    browser_login(page, StaffFactory(username="fiona", role="finance"))
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")

    # when a day in the future is entered, the error is beside the field
    page.get_by_text("Mark paid…").click()
    page.get_by_label("Funds arrived on").fill("2999-01-01")
    page.get_by_label("Bank reference").fill("NL-2024-88812")
    page.get_by_role("button", name="Mark paid").click()
    page.get_by_text("The payment cannot have arrived in the future.").wait_for()
    screenshot(page, "dashboard-finance-mark-paid-error")

    # and today's date marks it paid, the reference on the timeline
    page.get_by_label("Funds arrived on").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_role("button", name="Mark paid").click()
    page.get_by_text(f"Mark paid: order {order.number} is now confirmed.").wait_for()
    assert page.get_by_role("region", name="Timeline").get_by_text("bank reference NL-2024-88812").is_visible()
    assert page.get_by_text("Mark paid…").count() == 0
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    screenshot(page, "dashboard-finance-mark-paid-done")
