"""Order entry: a box says whether the order may ship in parts when stock is short (ticked by the setting)."""

import pytest

from orders.models import Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory

URL = "/dashboard/orders/new/"


@pytest.mark.parametrize("default", [True, False])
def test_the_box_starts_as_the_setting_says(staff_client, db, settings, default):
    settings.OMS_SHIP_PARTIAL_DEFAULT = default
    text = staff_client("order desk").get(URL).text
    box = next(tag.split(">")[0] for tag in text.split("<input") if 'name="ship_partial"' in tag)
    assert ("checked" in box) is default


@pytest.mark.parametrize(("ticked", "expected"), [(True, True), (False, False)])
def test_the_order_keeps_the_choice(staff_client, mug, commit, settings, ticked, expected):
    # given the default is the opposite of what staff chose
    settings.OMS_SHIP_PARTIAL_DEFAULT = not expected
    fields = {"ship_partial": "on"} if ticked else {}

    # when 60 mugs are ordered (50 in stock)
    with commit():
        response = staff_client("order desk").post(
            URL, entry_post(customer=CustomerFactory(), lines=[("MUG-1", "60")], **fields)
        )

    # then
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.ship_partial is expected
    assert order.status == ("confirmed" if expected else "on_hold")
    assert order.lines.values_list("quantity_reserved", "quantity_backordered").get() == (
        (50, 10) if expected else (0, 60)
    )


def test_an_unticked_box_stays_unticked_when_the_form_is_refreshed(staff_client, mug, settings):
    settings.OMS_SHIP_PARTIAL_DEFAULT = True
    text = staff_client("order desk").post(URL, entry_post(action="refresh")).text
    box = next(tag.split(">")[0] for tag in text.split("<input") if 'name="ship_partial"' in tag)
    assert "checked" not in box
