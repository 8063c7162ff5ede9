"""Preorders: before its release date a product takes orders beyond stock, up to its preorder limit in all;
the preordered units are backordered and the order goes on (paid, confirmed) without a hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.models import Product, StockItem
from orders.exceptions import InvalidOrder
from orders.models import Order
from tests.factories import OrderFactory, ProductFactory, WarehouseFactory
from tests.orders.backorders.conftest import waiting


def test_a_preorder_beyond_stock_is_backordered_and_the_order_goes_on(place, console):
    # when 4 consoles are ordered (2 in stock), without shipping in parts
    response = place([("CONSOLE-1", 4)], ship_partial=False)

    # then the order is confirmed and paid, 2 consoles wait for the release
    assert response.status_code == 201, response.content
    order = response.order
    assert (order.status, order.hold_reason, order.payment_status) == ("confirmed", "", "authorized")
    assert waiting(order) == [("CONSOLE-1", 4, 2, 2)]
    assert response.json()["lines"][0]["quantity_backordered"] == 2
    assert StockItem.objects.get(product=console).reserved == 2
    assert "CONSOLE-1 2 reserved, 2 backordered (preorder)" in order.events.get(to_status="verified").note


def test_beyond_the_limit_placement_is_refused_naming_the_line(place, console, mug):
    # given 2 of the 3 preorder units are taken
    place([("CONSOLE-1", 4)])
    orders_before = Order.objects.count()

    # when another order wants 2 more consoles than there is stock
    response = place([("MUG-1", 1), ("CONSOLE-1", 2)])

    # then
    assert response.status_code == 400
    assert response.json() == {"lines": {"1": {"quantity": ["'CONSOLE-1' is a preorder: only 1 left."]}}}
    assert Order.objects.count() == orders_before
    assert StockItem.objects.get(product=mug).reserved == 0


def test_the_last_preorder_units_can_be_taken(place, console):
    place([("CONSOLE-1", 4)])
    response = place([("CONSOLE-1", 1)])
    assert response.status_code == 201
    assert waiting(response.order) == [("CONSOLE-1", 1, 0, 1)]
    assert place([("CONSOLE-1", 1)]).status_code == 400


def test_cancelled_orders_give_their_preorder_units_back(place, console, staff_api):
    # given the limit is used up by one order
    first = place([("CONSOLE-1", 5)]).order
    assert place([("CONSOLE-1", 1)]).status_code == 400

    # when it is cancelled
    assert staff_api("manager").post(f"/api/v1/orders/{first.number}/cancel/", {}, format="json").status_code == 200

    # then its stock and its preorder units are free again
    response = place([("CONSOLE-1", 5)])
    assert response.status_code == 201
    assert waiting(response.order) == [("CONSOLE-1", 5, 2, 3)]


def test_a_preorder_with_another_short_line_waits_whole_without_ship_partial(place, console, lamp):
    response = place([("CONSOLE-1", 3), ("LAMP-1", 9)], ship_partial=False)
    order = response.order
    assert (order.status, order.hold_reason) == ("on_hold", "out_of_stock")
    assert waiting(order) == [("CONSOLE-1", 3, 0, 3), ("LAMP-1", 9, 0, 9)]


def test_after_the_release_date_short_stock_is_an_ordinary_shortage(place, console):
    Product.objects.filter(pk=console.pk).update(available_from=timezone.localdate())
    response = place([("CONSOLE-1", 4)], ship_partial=False)
    assert (response.order.status, response.order.hold_reason) == ("on_hold", "out_of_stock")


def test_a_preorder_limit_of_zero_takes_only_the_stock(place, console):
    Product.objects.filter(pk=console.pk).update(preorder_limit=0)
    response = place([("CONSOLE-1", 3)])
    assert response.status_code == 400
    assert response.json()["lines"]["0"]["quantity"] == ["'CONSOLE-1' is a preorder: only 0 left."]
    assert place([("CONSOLE-1", 2)]).status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_placements_at_once_cannot_both_take_the_last_preorder_units(postgres_only, reference_data, parallel):
    # given a product not in stock anywhere with 3 preorder units
    warehouse = WarehouseFactory(code="MAIN")
    product = ProductFactory(sku="DRONE-1", available_from=timezone.localdate() + timedelta(days=30), preorder_limit=3)
    StockItem.objects.create(product=product, warehouse=warehouse, on_hand=0)

    # when two customers preorder 2 each at the same moment
    results = parallel(
        [lambda n=n: OrderFactory(customer_email=f"fan{n}@example.com", lines=[("DRONE-1", 2)]) for n in range(2)],
        catch=(InvalidOrder,),
    )

    # then one got them, the other was told what is left
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, InvalidOrder)]
    assert (len(placed), len(refused)) == (1, 1)
    assert refused[0].fields == {"lines": {"0": {"quantity": ["'DRONE-1' is a preorder: only 1 left."]}}}
    assert Order.objects.count() == 1
    assert waiting(placed[0]) == [("DRONE-1", 2, 0, 2)]
