"""Short stock at placement: an order that may ship in parts reserves what is there and backorders the rest;
one that may not waits whole, reserving nothing, its lines showing what waits."""

import pytest

from inventory.models import StockItem, StockMovement
from oms.models import Storefront
from orders.models import LineAllocation, Order
from tests.factories import ProductFactory, StockItemFactory
from tests.orders.backorders.conftest import waiting


def test_ship_partial_reserves_what_is_there_and_backorders_the_rest(place, lamp, mug):
    # when 8 lamps (5 in stock) and 2 mugs are ordered, shipping in parts
    response = place([("LAMP-1", 8), ("MUG-1", 2)], ship_partial=True)

    # then the order goes on, with 3 lamps backordered
    assert response.status_code == 201, response.content
    body = response.json()
    assert (response.order.status, body["ship_partial"]) == ("confirmed", True)
    assert [(x["sku"], x["quantity"], x["quantity_backordered"], x["quantity_shipped"]) for x in body["lines"]] == [
        ("LAMP-1", 8, 3, 0),
        ("MUG-1", 2, 0, 0),
    ]
    assert waiting(body["number"]) == [("LAMP-1", 8, 5, 3), ("MUG-1", 2, 2, 0)]
    assert StockItem.objects.get(product=lamp).reserved == 5
    assert (
        sum(LineAllocation.objects.filter(line__order__number=body["number"]).values_list("quantity", flat=True)) == 7
    )
    notes = list(Order.objects.get(number=body["number"]).events.values_list("note", flat=True))
    assert "Stock reserved in part: LAMP-1 5 reserved, 3 backordered" in notes


def test_without_ship_partial_the_order_waits_whole_and_reserves_nothing(place, lamp, mug):
    # when
    response = place([("LAMP-1", 8), ("MUG-1", 2)], ship_partial=False)

    # then
    body = response.json()
    assert (body["status"], body["hold_reason"], body["ship_partial"]) == ("on_hold", "out_of_stock", False)
    assert [x["quantity_backordered"] for x in body["lines"]] == [8, 2]
    assert waiting(body["number"]) == [("LAMP-1", 8, 0, 8), ("MUG-1", 2, 0, 2)]
    assert list(StockItem.objects.order_by("pk").values_list("reserved", flat=True)) == [0, 0]
    assert not StockMovement.objects.filter(reference=body["number"]).exists()


def test_an_order_with_enough_stock_backorders_nothing(place, lamp):
    response = place([("LAMP-1", 5)], ship_partial=True)
    assert response.order.status == "confirmed"
    assert waiting(response.order) == [("LAMP-1", 5, 5, 0)]


@pytest.mark.parametrize(
    ("storefront_choice", "setting", "expected"),
    [
        (True, False, True),
        (False, True, False),
        (None, True, True),
        (None, False, False),
    ],
)
def test_without_a_choice_the_storefront_decides_else_the_setting(
    place, lamp, storefront, settings, storefront_choice, setting, expected
):
    # given
    Storefront.objects.filter(pk=storefront.pk).update(ship_partial=storefront_choice)
    settings.OMS_SHIP_PARTIAL_DEFAULT = setting

    # when the placement does not say
    response = place([("LAMP-1", 8)])

    # then
    assert response.json()["ship_partial"] is expected
    assert response.order.status == ("confirmed" if expected else "on_hold")
    assert waiting(response.order) == [("LAMP-1", 8, 5, 3) if expected else ("LAMP-1", 8, 0, 8)]


def test_the_placement_overrides_the_storefront(place, lamp, storefront):
    Storefront.objects.filter(pk=storefront.pk).update(ship_partial=True)
    assert place([("LAMP-1", 8)], ship_partial=False).json()["status"] == "on_hold"


def test_staff_placements_without_a_storefront_follow_the_setting(place, lamp, staff_api, settings):
    settings.OMS_SHIP_PARTIAL_DEFAULT = True
    response = place([("LAMP-1", 8)], client=staff_api("order desk"))
    assert (response.json()["ship_partial"], response.order.status) == (True, "confirmed")


def test_a_product_with_no_stock_at_all_is_backordered_whole(place, warehouse):
    # given a product no warehouse stocks
    ProductFactory(sku="RARE-1")
    StockItemFactory(product=ProductFactory(sku="COMMON-1"), warehouse=warehouse, on_hand=9)

    # when
    response = place([("RARE-1", 2), ("COMMON-1", 1)], ship_partial=True)

    # then
    assert response.order.status == "confirmed"
    assert waiting(response.order) == [("RARE-1", 2, 0, 2), ("COMMON-1", 1, 1, 0)]


def test_ship_partial_must_be_a_boolean(place, lamp):
    response = place([("LAMP-1", 1)], ship_partial="perhaps")
    assert response.status_code == 400
    assert "ship_partial" in response.json()
    assert not Order.objects.exists()


def test_the_schema_documents_ship_partial_and_the_line_counts(api):
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert "ship_partial" in schema["OrderCreateInputRequest"]["properties"]
    assert "ship_partial" in schema["OrderOutput"]["properties"]
    assert {"quantity_backordered", "quantity_shipped"} <= set(schema["LineOutput"]["properties"])
