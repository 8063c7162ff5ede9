"""Order desk takes a phone order in the browser: find the customer, add products, pick shipping, pay, place."""

import re

import pytest

from orders.models import Order
from tests.dashboard.browser import fill_in
from tests.factories import CustomerFactory, ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def catalog(transactional_db):
    main = WarehouseFactory(code="NJ1", name="Newark", priority=1)
    west = WarehouseFactory(code="NV1", name="Reno", priority=2)
    mug = ProductFactory(sku="KIT-MUG-350", name="Stoneware Mug 350 ml", price="12.50", weight_kg="0.400")
    press = ProductFactory(sku="KIT-FRP-1L", name="French Press 1 l", price="34.00", weight_kg="0.900")
    StockItemFactory(product=mug, warehouse=main, on_hand=40, reserved=5)
    StockItemFactory(product=mug, warehouse=west, on_hand=12)
    StockItemFactory(product=press, warehouse=main, on_hand=3)
    return mug, press


@pytest.mark.browser
def test_phone_order_in_the_browser(page, live_server, browser_login, screenshot, catalog, transactional_db):
    customer = CustomerFactory(name="Ann Example", email="ann@example.com", phone="+1 555 0100")
    browser_login(page, StaffFactory(role="order desk"))
    page.goto(f"{live_server.url}/dashboard/orders/new/")

    # find the existing customer
    page.get_by_label("Find a customer").fill("ann ex")
    page.get_by_role("button", name="Pick Ann Example (ann@example.com)").click()
    page.get_by_role("button", name="Change customer").wait_for()

    # two products through the product search
    page.get_by_label("Find a product").fill("mug")
    page.get_by_text("Available 47 in total: NJ1 35 · NV1 12").wait_for()
    page.get_by_role("button", name="Add KIT-MUG-350 Stoneware Mug 350 ml").click()
    page.get_by_label("Quantity of KIT-MUG-350").wait_for()
    page.get_by_label("Find a product").fill("press")
    page.get_by_role("button", name="Add KIT-FRP-1L French Press 1 l").click()
    page.get_by_label("Quantity of KIT-FRP-1L").wait_for()
    page.get_by_label("Quantity of KIT-MUG-350").fill("2")
    page.get_by_label("Quantity of KIT-MUG-350").press("Tab")
    summary = page.locator("#summary")
    summary.get_by_text("59.00").wait_for()  # 2 × 12.50 + 34.00, updated live

    # shipping, payment, address
    page.get_by_role("radio", name=re.compile("Standard")).check()
    page.get_by_label("Card", exact=True).check()
    fill_in(
        page,
        {
            "Card token": "tok_ok",
            "Address line 1": "1 Main St",
            "City": "Newark",
            "State / province / region": "NJ",
            "Postal code": "07102",
            "Country": "US",
            "Special instructions": "Call before delivery",
        },
    )
    screenshot(page, "dashboard-new-order")

    page.get_by_role("button", name="Place order").click()
    page.wait_for_url(re.compile(r"/dashboard/orders/[0-9A-Z]{8}/$"))

    order = Order.objects.get()
    assert page.url.endswith(f"/dashboard/orders/{order.number}/")
    assert (order.customer_id, order.channel, order.status) == (customer.pk, "phone", "confirmed")
    assert sorted(order.lines.values_list("sku", "quantity")) == [("KIT-FRP-1L", 1), ("KIT-MUG-350", 2)]
    assert order.shipping_method == "standard" and order.notes == "Call before delivery"


@pytest.mark.browser
def test_entry_errors_and_tablet_layout(page, live_server, browser_login, screenshot, catalog, transactional_db):
    browser_login(page, StaffFactory(role="order desk"))
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{live_server.url}/dashboard/orders/new/")
    page.get_by_label("Find a product").fill("KIT")
    page.get_by_role("button", name="Add KIT-MUG-350 Stoneware Mug 350 ml").click()
    page.get_by_label("Quantity of KIT-MUG-350").wait_for()
    page.get_by_label("Find a product").fill("")
    screenshot(page, "dashboard-new-order-tablet")

    page.get_by_label("Customer email").fill("not-an-email")
    page.get_by_role("button", name="Place order").click()
    page.get_by_text("The order was not placed.").wait_for()

    assert page.get_by_text("Enter a valid email address.").is_visible()
    assert page.get_by_label("Quantity of KIT-MUG-350").input_value() == "1"  # the basket survives
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "dashboard-new-order-errors")
    assert Order.objects.count() == 0
