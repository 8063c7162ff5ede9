"""``GET /products/``: what a storefront may sell, with stock available over all active warehouses."""

from decimal import Decimal

from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


def test_available_is_on_hand_minus_reserved_over_warehouses(api, mug, order_body, commit):
    # given 50 mugs in MAIN and 10 in EAST, then an order reserving 2
    StockItemFactory(product=mug, warehouse=WarehouseFactory(code="EAST", priority=2), on_hand=10)
    with commit():
        api.post("/api/v1/orders/", order_body, format="json")

    # when
    response = api.get("/api/v1/products/")

    # then
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"sku": "MUG-1", "name": "Mug", "price": "12.50", "weight_kg": "0.400", "available": 58}
    ]


def test_stock_in_an_inactive_warehouse_is_not_available(api, mug):
    # given
    StockItemFactory(product=mug, warehouse=WarehouseFactory(code="CLOSED", is_active=False), on_hand=999)

    # when
    [product] = api.get("/api/v1/products/").json()["results"]

    # then
    assert product["available"] == 50


def test_products_not_for_sale_are_not_listed_and_unstocked_ones_show_zero(api, mug):
    # given
    ProductFactory(sku="OLD-1", is_active=False)
    ProductFactory(sku="NEW-1", price=Decimal("3.00"))

    # when
    results = api.get("/api/v1/products/").json()["results"]

    # then
    assert [(p["sku"], p["available"]) for p in results] == [("MUG-1", 50), ("NEW-1", 0)]


def test_page_size_pages_the_list(api, db):
    # given
    for n in range(5):
        ProductFactory(sku=f"P-{n}")

    # when
    first = api.get("/api/v1/products/", {"page_size": 2}).json()
    last = api.get("/api/v1/products/", {"page_size": 2, "page": 3}).json()

    # then
    assert first["count"] == 5
    assert [p["sku"] for p in first["results"]] == ["P-0", "P-1"]
    assert [p["sku"] for p in last["results"]] == ["P-4"]


def test_filter_by_sku(api, mug):
    # given
    ProductFactory(sku="BOWL-1")
    ProductFactory(sku="PLATE-1")

    # when
    results = api.get("/api/v1/products/", {"sku": "MUG-1,PLATE-1"}).json()["results"]

    # then
    assert [p["sku"] for p in results] == ["MUG-1", "PLATE-1"]
