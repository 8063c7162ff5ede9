"""The orders API shows, per line, what shipped and what waits for stock."""

from tests.orders.partial_shipments.conftest import stock_arrives


def lines(response) -> dict[str, tuple[int, int, int]]:
    return {
        line["sku"]: (line["quantity"], line["quantity_shipped"], line["quantity_backordered"])
        for line in response.json()["lines"]
    }


def test_the_order_shows_what_shipped_per_line(partial_order, ship_available, shelf, staff_api):
    # given a first part shipped
    order = ship_available(partial_order([("PS-CUP", 3, 2), ("PS-TIN", 1, 0)]))
    api = staff_api("manager")

    # when
    response = api.get(f"/api/v1/orders/{order.number}/")

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "fulfilling"
    assert lines(response) == {"PS-CUP": (3, 2, 1), "PS-TIN": (1, 0, 1)}

    # when the rest arrives, still not shipped
    stock_arrives(order, "PS-CUP", 1)
    stock_arrives(order, "PS-TIN", 1)
    assert lines(api.get(f"/api/v1/orders/{order.number}/")) == {"PS-CUP": (3, 2, 0), "PS-TIN": (1, 0, 0)}

    # and shipped
    ship_available(order)
    assert lines(api.get(f"/api/v1/orders/{order.number}/")) == {"PS-CUP": (3, 3, 0), "PS-TIN": (1, 1, 0)}
