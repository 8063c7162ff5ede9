import pytest

from orders.models import Order
from tests.factories import OrderFactory, ProductFactory, StockItemFactory


@pytest.fixture
def place(commit, warehouse):
    """``place(**order_fields)``: an order placed (its automatic stages run), read back from the database."""

    def make(**fields) -> Order:
        with commit():
            order = OrderFactory(**fields)
        return Order.objects.get(pk=order.pk)

    return make


@pytest.fixture
def pricey(warehouse):
    """A product of 1,200.00 in stock: one unit makes a large order."""
    product = ProductFactory(sku="TV-1", price="1200.00")
    StockItemFactory(product=product, warehouse=warehouse, on_hand=20)
    return product


def rules_of(order: Order) -> list[str]:
    return [reason["rule"] for reason in order.risk_reasons]
