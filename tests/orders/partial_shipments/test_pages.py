"""The pages of an order shipping in parts: the pack page, the desk's order page and the customer's page."""

import re

from shipping.models import Shipment
from tests.factories import StaffFactory
from tests.orders.partial_shipments.conftest import stock_arrives


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_pack_page_shows_per_line_what_ships_now_and_offers_ship_what_is_available(partial_order, shelf, client):
    # given 3 cups (2 in stock) and a tin (none)
    order = partial_order([("PS-CUP", 3, 2), ("PS-TIN", 1, 0)])
    client.force_login(StaffFactory(role="warehouse"))

    # when
    page = text(client.get(f"/dashboard/orders/{order.number}/pack/"))

    # then: ordered, shipped, ship now, backordered per line
    assert "Ships in parts" in page
    assert "PS-CUP Tea Cup 3 0 2 1" in page
    assert "PS-TIN Tea Tin 1 0 0 1" in page
    assert "Ship what is available" in page


def test_an_order_in_stock_keeps_ship_order(order_in_state, shelf, client):
    order = order_in_state("fulfilling", lines=[("PS-CUP", 1)])
    client.force_login(StaffFactory(role="warehouse"))
    page = text(client.get(f"/dashboard/orders/{order.number}/pack/"))
    assert "Ship order" in page and "Ship what is available" not in page and "Ships in parts" not in page


def test_after_a_part_the_pack_page_lists_its_parcels_and_waits_for_stock(partial_order, ship_available, shelf, client):
    # given the first part shipped, nothing more in stock
    order = ship_available(partial_order([("PS-CUP", 3, 2)]))
    client.force_login(StaffFactory(role="warehouse"))

    # when
    page = text(client.get(f"/dashboard/orders/{order.number}/pack/"))

    # then
    assert "Waiting for stock" in page
    assert "Parcels shipped so far" in page
    assert Shipment.objects.get(order=order).tracking_number in page
    assert "PS-CUP Tea Cup 3 2 0 1" in page


def test_the_order_page_lists_each_shipment_with_its_contents_and_tracking(
    partial_order, ship_available, shelf, client
):
    # given two shipments
    order = ship_available(partial_order([("PS-CUP", 3, 2), ("PS-POT", 1, 1)]))
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)
    client.force_login(StaffFactory(role="manager"))

    # when
    page = text(client.get(f"/dashboard/orders/{order.number}/"))

    # then
    first, second = Shipment.objects.filter(order=order).order_by("pk")
    assert first.tracking_number in page and second.tracking_number in page
    assert re.search(r"Parcel 1, sent \d+ \w+ \d{4} \d\d:\d\d: 2 × PS-CUP, 1 × PS-POT", page)
    assert re.search(r"Parcel 2, sent \d+ \w+ \d{4} \d\d:\d\d: 1 × PS-CUP", page)


def test_the_customer_sees_each_parcel_and_what_is_still_to_come(partial_order, ship_available, shelf, client, link):
    # given a first part shipped
    order = ship_available(partial_order([("PS-CUP", 3, 2), ("PS-TIN", 2, 0)]))

    # when
    page = text(client.get(link(order)))

    # then
    shipment = Shipment.objects.get(order=order)
    assert "Partly shipped: the rest follows" in page
    assert shipment.tracking_number in page
    assert "In this parcel: 2 × Tea Cup" in page
    to_come = page.split("Still to come")[1]
    assert "1 × Tea Cup" in to_come and "2 × Tea Tin" in to_come
