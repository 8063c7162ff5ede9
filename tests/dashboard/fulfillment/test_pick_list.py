"""Pick lists: per warehouse, in bin order, for one order or a batch; unknown numbers are reported."""

import re

from django.conf import settings

from tests.factories import ProductFactory, StockItemFactory

URL = "/dashboard/fulfillment/pick-list/"


def rows(html: str) -> list[tuple[str, str, str, str]]:
    """(bin, sku, quantity, order) of every pick row, in page order."""
    return re.findall(
        r'<td class="bin">([^<]*)</td>\s*<th scope="row">([^<]*)</th>\s*<td>[^<]*</td>\s*'
        r'<td class="num qty">(\d+)</td>\s*<td>(?:<a [^>]*>)?([^<]*)(?:</a>)?</td>',
        html,
    )


def test_one_order_in_bin_order(order_in_state, kitchen, staff_client):
    # given the skillet sits in aisle A, the mug in aisle B
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])

    # when
    response = staff_client("warehouse").get(URL, {"orders": order.number})

    # then
    assert response.status_code == 200
    assert rows(response.text) == [("A-01-3", "KIT-PAN", "1", order.number), ("B-02-1", "KIT-MUG", "2", order.number)]
    assert "MAIN · Warehouse MAIN" in response.text
    assert "Total for MAIN: 2 lines, 1 order" in response.text
    assert 'aria-label="Picked 2 × KIT-MUG for ' in response.text


def test_many_orders_grouped_by_warehouse_then_bin(order_in_state, kitchen, lamp, warehouse, staff_client):
    # given a split order and a MAIN-only one whose product sits between the others' bins
    StockItemFactory(product=ProductFactory(sku="KIT-BRD"), warehouse=warehouse, bin_location="A-05-1")
    split = order_in_state("fulfilling", lines=[("KIT-MUG", 1), ("HOM-LMP", 2)])
    main = order_in_state("confirmed", lines=[("KIT-BRD", 3), ("KIT-PAN", 1)])

    # when both are printed at once (as the list's checkboxes send them)
    response = staff_client("warehouse").get(URL, {"orders": [split.number, main.number.lower()]})

    # then MAIN (priority 1) comes first, its aisle walked once across both orders, then WEST
    html = response.text
    assert rows(html) == [
        ("A-01-3", "KIT-PAN", "1", main.number),
        ("A-05-1", "KIT-BRD", "3", main.number),
        ("B-02-1", "KIT-MUG", "1", split.number),
        ("R-01-1", "HOM-LMP", "2", split.number),
    ]
    assert html.index("MAIN · Warehouse MAIN") < html.index("WEST · West Coast")
    assert "Total for MAIN: 3 lines, 2 orders" in html
    assert "Total for WEST: 1 line, 1 order" in html
    assert re.search(r'<td class="num qty">5</td>', html), "MAIN units total"


def test_comma_separated_numbers(order_in_state, staff_client):
    first, second = order_in_state("fulfilling"), order_in_state("confirmed")

    response = staff_client("warehouse").get(URL, {"orders": f" {first.number}, {second.number},,"})

    assert {r[3] for r in rows(response.text)} == {first.number, second.number}


def test_unknown_numbers_are_reported_not_a_500(order_in_state, staff_client):
    order = order_in_state("fulfilling")

    response = staff_client("warehouse").get(URL, {"orders": f"{order.number},NOPE-1,bad\x00one"})

    assert response.status_code == 200
    assert "No order with the number: NOPE-1" in response.text
    assert [r[3] for r in rows(response.text)] == [order.number]


def test_only_unknown_numbers(staff_client, db):
    response = staff_client("warehouse").get(URL, {"orders": "NOPE-1,NOPE-2"})

    assert response.status_code == 200
    assert "No order with the numbers: NOPE-1, NOPE-2" in response.text
    assert rows(response.text) == []


def test_shipped_order_has_nothing_left_to_pick(order_in_state, staff_client):
    order = order_in_state("shipped")

    response = staff_client("warehouse").get(URL, {"orders": order.number})

    assert f"Nothing left to pick for {order.number} (shipped)" in response.text
    assert rows(response.text) == []


def test_printable_a4_without_navigation(order_in_state, staff_client):
    order = order_in_state("fulfilling")

    html = staff_client("warehouse").get(URL, {"orders": order.number}).text

    assert "oms/fulfillment.css" in html
    assert 'onclick="window.print()"' in html
    css = (settings.BASE_DIR / "static/oms/fulfillment.css").read_text()
    assert "size: A4" in css
