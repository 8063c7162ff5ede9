"""The order list's "select all" box ticks every order on the page for a bulk action, at laptop and tablet."""

import pytest

from orders.models import Order
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 820])
def test_select_all_then_start_fulfillment_on_every_order(
    page, live_server, browser_login, screenshot, order_in_state, width
):
    # given
    orders = [order_in_state("confirmed") for _ in range(3)]
    desk = StaffFactory(username="dana", first_name="Dana", last_name="Desk", role="order desk")
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, desk)
    page.goto(f"{live_server.url}/dashboard/orders/")

    # when
    page.get_by_label("Select all orders on this page").check()
    boxes = page.locator("input[name=orders]")
    ticked = [boxes.nth(i).is_checked() for i in range(boxes.count())]
    screenshot(page, f"dashboard-orders-select-all-{width}")
    page.get_by_label("Action").select_option("start_fulfillment")
    page.get_by_role("button", name="Run on selected").click()
    page.get_by_text(orders[0].number).first.wait_for()
    page.locator("#bulk-results").get_by_text("fulfilling").first.wait_for()

    # then
    assert ticked == [True, True, True]
    assert set(Order.objects.values_list("status", flat=True)) == {"fulfilling"}
    assert page.evaluate("document.documentElement.scrollWidth") <= width
