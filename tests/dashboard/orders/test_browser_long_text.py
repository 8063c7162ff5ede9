"""Long unbroken text (a 420-character URL in a note, a long cancel reason) wraps: the order page stays as wide
as the screen at laptop and tablet widths."""

import pytest

from orders import services
from orders.models import Address, Inquiry, Order, OrderNote
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser

URL = "https://tracking.example.com/" + "a1b2c3d4e5" * 39  # 420 characters, not one break
WORD = "Reason" + "x" * 300


@pytest.mark.parametrize("width", [1366, 820])
def test_long_words_wrap_on_the_order_page(page, live_server, browser_login, screenshot, order_in_state, width):
    # given an order whose notes, timeline, inquiry, address and instructions each hold one very long word
    order = order_in_state("confirmed")
    manager = StaffFactory(username="mara", first_name="Mara", last_name="Manager", role="manager")
    Order.objects.filter(pk=order.pk).update(notes=f"Leave at {URL}")
    Address.objects.filter(pk=order.shipping_address_id).update(line1="Building" + "9" * 190)
    OrderNote.objects.create(order=order, author=manager, body=f"Customer sent {URL}")
    Inquiry.objects.create(order=order, message=f"See {URL}")
    services.order_transition(order_id=order.pk, name="cancel", user=manager, reason=WORD)

    # when
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, manager)
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")
    page.get_by_role("heading", name="Timeline").wait_for()
    screenshot(page, f"dashboard-order-long-text-{width}")

    # then
    assert page.get_by_text(URL[:60]).first.is_visible()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"the page is {page_width}px wide in a {width}px window"
