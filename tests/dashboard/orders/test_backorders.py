"""The order page shows what each line has ordered, reserved, backordered and shipped; the order list finds
orders with units waiting for stock."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrderFactory, ProductFactory, StockItemFactory


def _cells(text: str, sku: str) -> list[str]:
    row = re.search(rf"<tr><td>{sku}</td>.*?</tr>", text, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_lines_table_shows_ordered_reserved_backordered_and_shipped(desk, warehouse, commit):
    # given an order shipping in parts that waits for 3 lamps
    StockItemFactory(product=ProductFactory(sku="LAMP-1", name="Lamp"), warehouse=warehouse, on_hand=5)
    with commit():
        order = OrderFactory(lines=[("LAMP-1", 8)], ship_partial=True)

    # when
    text = desk.get(f"/dashboard/orders/{order.number}/").text

    # then
    assert '<th scope="col" class="num">Backordered</th>' in text
    cells = _cells(text, "LAMP-1")
    assert (cells[2], cells[5], cells[6], cells[7]) == ("8", "5", "3", "0")
    assert "Ships in parts when stock is short" in text


def test_the_page_costs_the_same_queries_with_or_without_backorders(desk, warehouse, commit):
    StockItemFactory(product=ProductFactory(sku="LAMP-1"), warehouse=warehouse, on_hand=5)
    with commit():
        whole = OrderFactory(lines=[("LAMP-1", 2)])
        waiting = OrderFactory(lines=[("LAMP-1", 8)], ship_partial=True)
    desk.get(f"/dashboard/orders/{whole.number}/")

    with CaptureQueriesContext(connection) as plain:
        desk.get(f"/dashboard/orders/{whole.number}/")
    with CaptureQueriesContext(connection) as backordered:
        desk.get(f"/dashboard/orders/{waiting.number}/")

    assert len(backordered) == len(plain)


def test_the_order_list_filters_orders_with_backorders(desk, warehouse, commit):
    # given one order served whole, one shipping in parts and one held out of stock
    StockItemFactory(product=ProductFactory(sku="LAMP-1"), warehouse=warehouse, on_hand=5)
    with commit():
        served = OrderFactory(lines=[("LAMP-1", 1)])
        partial = OrderFactory(lines=[("LAMP-1", 8)], ship_partial=True)
        held = OrderFactory(lines=[("LAMP-1", 2)], ship_partial=False)

    # when
    text = desk.get("/dashboard/orders/?queue=backordered").text

    # then
    assert partial.number in text and held.number in text
    assert served.number not in text
    assert '<option value="backordered" selected>Backordered</option>' in text
