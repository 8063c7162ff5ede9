"""Orders placed through the API against short stock, and how to read what each line waits for."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.services import stock_receive
from orders.models import Order
from tests.conftest import ORDER_BODY
from tests.factories import ProductFactory, StockItemFactory


def _stock(product, warehouse, units: int) -> None:
    """Stock that came in through the ledger, so the rows always agree with their movements."""
    item = StockItemFactory(product=product, warehouse=warehouse, on_hand=0)
    stock_receive(stock_item_id=item.pk, quantity=units, reason="initial stock", actor="test")


@pytest.fixture
def lamp(warehouse):
    """LAMP-1: 5 in stock in MAIN."""
    product = ProductFactory(sku="LAMP-1", name="Lamp", price="30.00")
    _stock(product, warehouse, 5)
    return product


@pytest.fixture
def console(warehouse):
    """CONSOLE-1: released in ten days, 2 in stock, up to 3 preorders beyond stock."""
    product = ProductFactory(
        sku="CONSOLE-1",
        name="Console",
        price="300.00",
        available_from=timezone.localdate() + timedelta(days=10),
        preorder_limit=3,
    )
    _stock(product, warehouse, 2)
    return product


@pytest.fixture
def place(api, commit):
    """``place([(sku, qty), ...], client=api, **body)``: POST an order; the response, with ``order`` the order
    as it rests once the work queued at commit (payment, confirmation) has run."""

    def post(lines, *, client=None, **fields):
        body = copy.deepcopy(ORDER_BODY)
        body["lines"] = [{"sku": sku, "quantity": quantity} for sku, quantity in lines]
        body.update(fields)
        with commit():
            response = (client or api).post("/api/v1/orders/", body, format="json")
        response.order = Order.objects.get(number=response.json()["number"]) if response.status_code == 201 else None
        return response

    return post


def waiting(order: Order | str) -> list[tuple[str, int, int, int]]:
    """(sku, ordered, reserved, backordered) of each line, as stored."""
    number = order if isinstance(order, str) else order.number
    return list(
        Order.objects.get(number=number)
        .lines.order_by("pk")
        .values_list("sku", "quantity", "quantity_reserved", "quantity_backordered")
    )
