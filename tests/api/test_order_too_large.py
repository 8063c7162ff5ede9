"""An order whose money would not fit the amount columns is refused with 400 naming the lines; nothing is
written (it used to fail in the database with a server error)."""

import pytest

from orders.models import Order
from tests.factories import ProductFactory, StockItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def piano(warehouse):
    for sku in ("PIANO", "ORGAN"):
        product = ProductFactory(sku=sku, price="9999999.99", weight_kg="1.000")
        StockItemFactory(product=product, warehouse=warehouse, on_hand=1_000_000)


def test_a_line_worth_more_than_an_order_can_hold_is_a_400(api, piano, order_body):
    order_body["lines"] = [{"sku": "PIANO", "quantity": 10_000}]
    response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 400, response.content
    assert "more than one order can hold" in response.json()["lines"]["0"]["quantity"][0]
    assert Order.objects.count() == 0


def test_many_lines_adding_up_to_too_much_is_a_400(api, piano, order_body):
    # two lines of 5,999,999,994.00 each: each fits, the total does not
    order_body["lines"] = [{"sku": "PIANO", "quantity": 600}, {"sku": "ORGAN", "quantity": 600}]
    response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 400, response.content
    assert "split it" in response.json()["lines"][0]
    assert Order.objects.count() == 0
