"""The order desk in a real browser: find an order, take it to shipped, open its label; what warehouse sees."""

import pytest

from orders.models import Customer, Order
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


def _forced_post(page, url: str, form: dict):
    """POST as the signed-in browser would, CSRF token included, bypassing the missing buttons."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, form=form, headers={"X-CSRFToken": token}, max_redirects=0)


def test_desk_finds_an_order_by_email_and_ships_it(page, live_server, browser_login, screenshot, order_in_state):
    order = order_in_state("confirmed", customer_email="nora.jansen@example.com", customer_name="Nora Jansen")
    order_in_state("on_hold", customer_email="omar@example.com", customer_name="Omar Khan")
    order_in_state("shipped", customer_email="priya@example.com", customer_name="Priya Patel")
    order_in_state(
        "confirmed", customer_email="sven@example.com", customer_name="Sven Weber", shipping_method="express"
    )
    desk = StaffFactory(username="dana", first_name="Dana", last_name="Desk", role="order desk")
    browser_login(page, desk)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", name="Ready to fulfill").is_visible()
    screenshot(page, "dashboard-home")

    page.get_by_role("link", name="Orders", exact=True).click()
    page.wait_for_url("**/dashboard/orders/")
    screenshot(page, "dashboard-orders")
    page.get_by_label("Search").fill("nora.jansen@example.com")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**q=nora.jansen**")
    page.get_by_role("link", name=order.number).wait_for()
    assert page.locator("table.orders tbody tr").count() == 1
    screenshot(page, "dashboard-orders-filtered")

    page.get_by_role("link", name=order.number).click()
    page.wait_for_url(f"**/dashboard/orders/{order.number}/")
    screenshot(page, "dashboard-order-detail")
    page.get_by_role("button", name="Start fulfillment").click()
    page.get_by_text("is now fulfilling").wait_for()
    assert page.get_by_role("link", name="Pack & ship…").is_visible()
    page.get_by_role("button", name="Ship", exact=True).click()
    page.get_by_text("is now shipped").wait_for()
    assert Order.objects.get(pk=order.pk).status == "shipped"
    screenshot(page, "dashboard-order-shipped")

    label = page.get_by_role("link", name="Label (PDF)").first
    response = page.request.get(live_server.url + label.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_order_list_at_tablet_width(page, live_server, browser_login, screenshot, order_in_state):
    for state in ("confirmed", "on_hold", "fulfilling"):
        order_in_state(state)
    browser_login(page, StaffFactory(role="order desk"))
    page.set_viewport_size({"width": 820, "height": 1180})

    page.goto(f"{live_server.url}/dashboard/orders/")
    page.get_by_label("Status").select_option("on_hold")  # htmx refreshes the results and the URL
    page.wait_for_url("**status=on_hold**")
    page.locator("table.orders tbody tr").first.wait_for()

    assert page.locator("table.orders tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    screenshot(page, "dashboard-orders-tablet")


def test_warehouse_sees_no_finance_actions(page, live_server, browser_login, screenshot, order_in_state):
    order = order_in_state("credit_approved")  # a bank transfer awaiting funds
    assert order.payment_status == "awaiting_funds"
    customer = Customer.objects.get(pk=order.customer_id)
    browser_login(page, StaffFactory(username="walt", first_name="Walt", last_name="Picker", role="warehouse"))

    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", name="Awaiting funds").count() == 0
    screenshot(page, "dashboard-warehouse-home")
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")

    assert page.get_by_role("button", name="Mark paid").count() == 0
    assert page.get_by_label("Credit limit").count() == 0
    assert page.get_by_role("link", name=customer.name).count() == 0  # no customer page for warehouse
    mark_paid = _forced_post(
        page, f"{live_server.url}/dashboard/orders/{order.number}/transition/", {"name": "mark_paid"}
    )
    terms = _forced_post(
        page,
        f"{live_server.url}/dashboard/customers/{customer.pk}/credit-terms/",
        {"payment_terms": "on_account", "credit_limit": "50000"},
    )

    assert (mark_paid.status, terms.status) == (403, 403)
    assert Order.objects.get(pk=order.pk).status == "credit_approved"
    customer.refresh_from_db()
    assert (customer.payment_terms, customer.credit_limit) == ("prepaid", 0)
