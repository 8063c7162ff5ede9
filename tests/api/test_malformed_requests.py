"""Malformed paths and query parameters get a 4xx answer, never a 500, and change nothing."""

import pytest

ORDER_PATHS = [
    ("get", "/api/v1/orders/{n}/"),
    ("post", "/api/v1/orders/{n}/cancel/"),
    ("get", "/api/v1/orders/{n}/transitions/"),
    ("post", "/api/v1/orders/{n}/transitions/cancel/"),
    ("get", "/api/v1/orders/{n}/pick-list/"),
]
BAD_NUMBERS = ["A%00B", "%00", "x" * 300, "%F0%9F%93%A6"]


@pytest.mark.parametrize("number", BAD_NUMBERS)
@pytest.mark.parametrize(("method", "path"), ORDER_PATHS)
def test_a_malformed_order_number_is_404(method, path, number, staff_api, order_in_state, order_snapshot):
    # given an order that must stay untouched
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = getattr(staff_api("manager"), method)(path.format(n=number), format="json")

    # then
    assert response.status_code == 404
    assert order_snapshot(order) == before


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("status=%00", 400),
        ("updated_since=%00", 400),
        ("updated_since=2026-01-01T24:61:00Z", 400),
        ("page=abc", 404),
        ("page=0", 404),
        ("page_size=abc", 200),  # ignored: the default page size applies
    ],
)
def test_malformed_list_parameters_are_refused_or_ignored(query, status, api, mug):
    response = api.get(f"/api/v1/orders/?{query}")

    assert response.status_code == status


@pytest.mark.parametrize("sku", ["%00", "MUG%001"])
def test_a_product_filter_with_a_nul_byte_finds_nothing(sku, api, mug):
    response = api.get(f"/api/v1/products/?sku={sku}")

    assert response.status_code == 200
    assert response.json()["results"] == []
