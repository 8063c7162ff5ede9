"""The order desk changes an order's lines in a real browser: the Edit lines page, a refused line beside its
row, then saved; screenshots of each step for a person to look at."""

import pytest

from tests.accessibility.test_axe import violations
from tests.factories import StaffFactory
from tests.orders.changes.conftest import lines_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_edits_the_lines_of_an_order(page, live_server, browser_login, screenshot, reference_data, confirmed):
    order = confirmed()
    desk = StaffFactory(username="dana", first_name="Dana", last_name="Desk", role="order desk")
    browser_login(page, desk)

    # the order page offers Edit lines
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")
    page.get_by_role("link", name="Edit lines").click()
    page.wait_for_url(f"**/dashboard/orders/{order.number}/lines/")
    screenshot(page, "order-edit-lines")
    assert violations(page) == []

    # more mugs, one row added for 9 caps (only 3 in stock): refused beside the row
    page.get_by_label("Quantity of row 1").fill("3")
    page.get_by_role("button", name="Add a row").click()
    page.get_by_label("SKU of row 3").wait_for()
    page.get_by_label("SKU of row 3").fill("CAP-1")
    page.get_by_label("Quantity of row 3").fill("9")
    page.get_by_role("button", name="Save lines").click()
    page.get_by_text("Only 3 available.").wait_for()
    screenshot(page, "order-edit-lines-refused")
    assert violations(page) == []
    assert lines_of(order) == {"MUG-1": 2, "TEE-1": 1}

    # 1 cap instead, the tee removed: saved, back on the order page with the change on its timeline
    page.get_by_label("Quantity of row 3").fill("1")
    page.get_by_label("Remove row 2").check()
    page.get_by_role("button", name="Save lines").click()
    page.wait_for_url(f"**/dashboard/orders/{order.number}/")
    page.get_by_text("it comes to 50.45 USD now").wait_for()
    assert page.get_by_text("Lines changed: MUG-1 2→3, TEE-1 removed, CAP-1 ×1 added").is_visible()
    screenshot(page, "order-edit-lines-saved")
    assert lines_of(order) == {"MUG-1": 3, "CAP-1": 1}

    # Cancel part, on the order page: one mug off
    page.get_by_text("Cancel part…").click()
    page.get_by_label("Units of MUG-1 to cancel").fill("1")
    page.get_by_label("Reason", exact=True).fill("Customer asked")
    assert violations(page) == []
    screenshot(page, "order-cancel-part")
    page.get_by_role("button", name="Cancel these units").click()
    page.get_by_text("it comes to 37.95 USD now").wait_for()
    assert lines_of(order) == {"MUG-1": 2, "CAP-1": 1}
