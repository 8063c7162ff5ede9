"""From stock to the orders behind it: ledger references link to their orders, held orders are one click away,
and a refused adjustment says how far stock can go down."""

import pytest

from inventory.models import StockItem, StockMovement
from inventory.services import stock_adjust

HELD_FOR_STOCK = 'href="/dashboard/orders/?status=on_hold&amp;hold_reason=out_of_stock"'


def test_a_reservation_in_the_ledger_links_to_its_order_and_an_adjustment_does_not(staff_client, order_in_state, mug):
    # given
    order = order_in_state("confirmed", lines=[("MUG-1", 2)])
    stock_adjust(stock_item_id=StockItem.objects.get().pk, delta=1, reason="Recount", actor="walt")

    # when
    html = staff_client("warehouse").get("/dashboard/inventory/sku/MUG-1/").text

    # then
    assert f'<a href="/dashboard/orders/{order.number}/">{order.number}</a>' in html
    assert StockMovement.objects.filter(kind="reserve", reference=order.number).exists()
    assert HELD_FOR_STOCK in html


@pytest.mark.parametrize("url", ["/dashboard/inventory/sku/MUG-1/", "/dashboard/inventory/low/"])
def test_stock_pages_link_to_the_orders_on_hold_for_stock(staff_client, mug, url):
    assert HELD_FOR_STOCK in staff_client("order desk").get(url).text


def test_removing_more_than_there_is_says_how_many_can_go(staff_client, mug):
    # given: 50 on hand, nothing reserved
    item = StockItem.objects.get()
    data = {"adjust-stock_item": item.pk, "adjust-delta": "-100000", "adjust-reason": "Recount"}

    # when
    response = staff_client("warehouse").post("/dashboard/inventory/sku/MUG-1/adjust/", data)

    # then
    assert response.status_code == 400
    assert response.context["adjust_form"].errors["delta"] == ["At most 50 can be removed: 50 on hand."]
    assert (StockItem.objects.get().on_hand, StockMovement.objects.count()) == (50, 0)
