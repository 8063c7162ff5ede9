"""Stock list and low stock: search, warehouse filter, pagination, empty states, which total is meant."""

import pytest

from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def two_warehouses(db):
    return WarehouseFactory(code="EAST", priority=1), WarehouseFactory(code="WEST", priority=2)


def _rows(response):
    return [(i.product.sku, i.warehouse.code) for i in response.context["page_obj"]]


def test_stock_list_search_and_warehouse_filter(staff_client, two_warehouses):
    east, west = two_warehouses
    mug = ProductFactory(sku="MUG-1", name="Mug")
    plate = ProductFactory(sku="PLT-1", name="Plate")
    StockItemFactory(product=mug, warehouse=east, on_hand=10, reserved=4)
    StockItemFactory(product=mug, warehouse=west)
    StockItemFactory(product=plate, warehouse=east)
    client = staff_client("warehouse")

    everything = client.get("/dashboard/inventory/")
    mugs = client.get("/dashboard/inventory/", {"q": "mug"})
    west_only = client.get("/dashboard/inventory/", {"warehouse": "WEST"})

    assert _rows(everything) == [("MUG-1", "EAST"), ("MUG-1", "WEST"), ("PLT-1", "EAST")]
    assert _rows(mugs) == [("MUG-1", "EAST"), ("MUG-1", "WEST")]
    assert _rows(west_only) == [("MUG-1", "WEST")]
    assert everything.context["page_obj"][0].available_now == 6
    assert '<td class="num">6' in everything.text


def test_stock_list_pages_and_empty_state(staff_client, two_warehouses):
    for _ in range(27):
        StockItemFactory(warehouse=two_warehouses[0])
    client = staff_client("order desk")

    assert len(client.get("/dashboard/inventory/").context["page_obj"]) == 25
    assert len(client.get("/dashboard/inventory/", {"page": 2}).context["page_obj"]) == 2
    assert "Nothing matches these filters" in client.get("/dashboard/inventory/", {"q": "zzz"}).text
    assert client.get("/dashboard/inventory/", {"q": "\x00", "warehouse": "\x00"}).status_code == 200


def test_stock_list_htmx_returns_rows_only(staff_client, two_warehouses):
    StockItemFactory(warehouse=two_warehouses[0], product=ProductFactory(sku="MUG-1"))
    client = staff_client("warehouse")

    response = client.get("/dashboard/inventory/", {"q": "mug"}, headers={"HX-Request": "true"})

    assert "<html" not in response.text and "MUG-1" in response.text


def test_empty_inventory(staff_client, db):
    assert "No products are stocked" in staff_client("warehouse").get("/dashboard/inventory/").text


def test_low_stock_per_warehouse_and_in_total(staff_client, two_warehouses):
    east, west = two_warehouses
    # reorder point 5: EAST has 5 available (at the point: low), WEST 20; in total 25 (not low)
    mug = ProductFactory(sku="MUG-1", reorder_point=5)
    StockItemFactory(product=mug, warehouse=east, on_hand=8, reserved=3)
    StockItemFactory(product=mug, warehouse=west, on_hand=20)
    # 2 + 1 = 3 in total, low in both views
    rare = ProductFactory(sku="RARE-1", reorder_point=5)
    StockItemFactory(product=rare, warehouse=east, on_hand=2)
    StockItemFactory(product=rare, warehouse=west, on_hand=1)
    ProductFactory(sku="GONE-1", is_active=False, reorder_point=5)
    client = staff_client("warehouse")

    per_warehouse = client.get("/dashboard/inventory/low/")
    east_only = client.get("/dashboard/inventory/low/", {"warehouse": "WEST"})
    total = client.get("/dashboard/inventory/low/", {"scope": "total"})

    assert _rows(per_warehouse) == [("RARE-1", "WEST"), ("RARE-1", "EAST"), ("MUG-1", "EAST")]
    assert "counted <strong>per warehouse</strong>" in per_warehouse.text
    assert _rows(east_only) == [("RARE-1", "WEST")]
    assert [(p.sku, p.available_now, p.shortfall) for p in total.context["page_obj"]] == [("RARE-1", 3, 2)]
    assert "in total over all warehouses" in total.text


def test_low_stock_empty_state(staff_client, two_warehouses):
    StockItemFactory(warehouse=two_warehouses[0], on_hand=100)

    assert "Nothing is low" in staff_client("warehouse").get("/dashboard/inventory/low/").text


def test_stock_list_runs_a_fixed_number_of_queries(staff_client, two_warehouses, django_assert_max_num_queries):
    for _ in range(20):
        StockItemFactory(warehouse=two_warehouses[0])
    client = staff_client("warehouse")

    with django_assert_max_num_queries(8):
        client.get("/dashboard/inventory/")
