"""An order no single warehouse can serve is split across warehouses; each ships its own parcel."""

import pytest

from inventory.models import StockItem, StockMovement
from orders.models import LineAllocation, Order
from shipping.models import Shipment
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def two_warehouses(mug, warehouse):
    """MUG-1: 50 in MAIN (priority 1) and 30 in EAST (priority 2)."""
    east = WarehouseFactory(code="EAST", priority=2)
    StockItemFactory(product=mug, warehouse=east, on_hand=30)
    return warehouse, east


def place(api, body, commit):
    with commit():
        response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])


def test_a_line_larger_than_one_warehouse_is_reserved_across_two(two_warehouses, api, order_body, commit):
    # given
    main, east = two_warehouses
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 60}]

    # when
    order = place(api, order_body, commit)

    # then the preferred warehouse gives all it has, the next the rest
    assert order.status == "confirmed"
    assert list(
        LineAllocation.objects.filter(line__order=order)
        .order_by("warehouse__priority")
        .values_list("warehouse__code", "quantity")
    ) == [("MAIN", 50), ("EAST", 10)]
    assert dict(StockItem.objects.values_list("warehouse__code", "reserved")) == {"MAIN": 50, "EAST": 10}
    assert StockMovement.objects.filter(reference=order.number, kind="reserve").count() == 2


def test_a_split_order_ships_one_parcel_per_warehouse(two_warehouses, api, order_body, commit, staff_api):
    # given
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 60}]
    order = place(api, order_body, commit)
    staff = staff_api("warehouse")
    staff.post(f"/api/v1/orders/{order.number}/transitions/start_fulfillment/", format="json")

    # when
    with commit():
        response = staff.post(f"/api/v1/orders/{order.number}/transitions/ship/", format="json")

    # then
    assert response.status_code == 200
    parcels = {s.warehouse.code: s for s in Shipment.objects.filter(order=order)}
    assert set(parcels) == {"MAIN", "EAST"}
    assert parcels["MAIN"].contents == [{"sku": "MUG-1", "quantity": 50}]
    assert parcels["EAST"].contents == [{"sku": "MUG-1", "quantity": 10}]
    assert len({s.tracking_number for s in parcels.values()}) == 2
    assert all(s.tracking_number for s in parcels.values())
    assert str(parcels["EAST"].weight_kg) == "4.000"  # 10 × 0.4 kg
    stock = dict(StockItem.objects.values_list("warehouse__code", "on_hand"))
    assert stock == {"MAIN": 0, "EAST": 20}
    assert set(StockItem.objects.values_list("reserved", flat=True)) == {0}
    assert len(response.json()["shipments"]) == 2


def test_pick_list_groups_the_lines_by_warehouse(two_warehouses, api, order_body, commit, staff_api):
    # given
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 60}]
    order = place(api, order_body, commit)

    # when
    response = staff_api("warehouse").get(f"/api/v1/orders/{order.number}/pick-list/")

    # then
    assert [(w["warehouse"], [(i["sku"], i["quantity"]) for i in w["items"]]) for w in response.json()] == [
        ("MAIN", [("MUG-1", 50)]),
        ("EAST", [("MUG-1", 10)]),
    ]


def test_one_warehouse_that_can_serve_everything_is_preferred_to_a_split(two_warehouses, api, order_body, commit):
    # given a plate stocked only in EAST, so MAIN cannot serve the whole order
    main, east = two_warehouses
    StockItemFactory(product=ProductFactory(sku="PLATE-1"), warehouse=east, on_hand=5)
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 2}, {"sku": "PLATE-1", "quantity": 1}]

    # when
    order = place(api, order_body, commit)

    # then
    assert set(LineAllocation.objects.filter(line__order=order).values_list("warehouse__code", flat=True)) == {"EAST"}
    assert StockItem.objects.get(product__sku="MUG-1", warehouse=main).reserved == 0


def test_delivered_only_when_every_parcel_is_delivered(
    two_warehouses, api, order_body, commit, staff_api, post_webhook
):
    # given a split order shipped in two parcels
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 60}]
    order = place(api, order_body, commit)
    staff = staff_api("warehouse")
    staff.post(f"/api/v1/orders/{order.number}/transitions/start_fulfillment/", format="json")
    with commit():
        staff.post(f"/api/v1/orders/{order.number}/transitions/ship/", format="json")
    first, second = Shipment.objects.filter(order=order).order_by("pk")

    # when the first parcel arrives
    response = post_webhook({"event_id": "a", "tracking_number": first.tracking_number, "status": "delivered"})

    # then the order is in transit, not delivered
    assert response.json()["order_status"] == "in_transit"

    # when the second arrives too
    with commit():
        response = post_webhook({"event_id": "b", "tracking_number": second.tracking_number, "status": "delivered"})

    # then
    assert response.json()["order_status"] == "delivered"
