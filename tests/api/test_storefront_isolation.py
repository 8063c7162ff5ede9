"""A storefront sees and touches only its own orders."""

import pytest
from rest_framework.test import APIClient

from tests.factories import storefront_with_key


@pytest.fixture
def other_shop(db):
    _, key = storefront_with_key("other shop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def order_of_shop_a(api, mug, order_body, commit):
    with commit():
        return api.post("/api/v1/orders/", order_body, format="json").json()["number"]


def test_another_storefront_gets_404_for_the_order(order_of_shop_a, other_shop):
    # when
    response = other_shop.get(f"/api/v1/orders/{order_of_shop_a}/")

    # then it looks exactly like an order that does not exist
    assert response.status_code == 404
    missing = other_shop.get("/api/v1/orders/NOSUCH99/")
    assert response.json() == {
        **missing.json(),
        "detail": missing.json()["detail"].replace("NOSUCH99", order_of_shop_a),
    }


def test_another_storefront_cannot_cancel_it(order_of_shop_a, other_shop, order_snapshot):
    # given
    from orders.models import Order

    order = Order.objects.get(number=order_of_shop_a)
    before = order_snapshot(order)

    # when
    response = other_shop.post(f"/api/v1/orders/{order_of_shop_a}/cancel/", format="json")

    # then
    assert response.status_code == 404
    assert order_snapshot(order) == before


def test_another_storefront_does_not_list_it(order_of_shop_a, api, other_shop):
    # when
    theirs = other_shop.get("/api/v1/orders/").json()
    ours = api.get("/api/v1/orders/").json()

    # then
    assert theirs["count"] == 0 and theirs["results"] == []
    assert [o["number"] for o in ours["results"]] == [order_of_shop_a]


def test_the_owner_finds_it_whatever_the_case_of_the_number(order_of_shop_a, api):
    response = api.get(f"/api/v1/orders/{order_of_shop_a.lower()}/")

    assert response.status_code == 200
    assert response.json()["number"] == order_of_shop_a


def test_staff_see_orders_of_every_storefront(order_of_shop_a, staff_api):
    response = staff_api("support").get("/api/v1/orders/")

    assert [o["number"] for o in response.json()["results"]] == [order_of_shop_a]
