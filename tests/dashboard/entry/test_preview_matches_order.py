"""What the order entry summary shows for a basket is what the placed order charges, to the cent."""

from decimal import Decimal

import pytest

from orders.models import Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory, ProductFactory, StockItemFactory, TaxRateFactory

URL = "/dashboard/orders/new/"

BASKETS = {
    "one line, no tax rate": dict(lines=[("MUG-1", "2")], country="FR", method="standard"),
    "taxed, three lines, express": dict(
        lines=[("MUG-1", "3"), ("TEA-1", "7"), ("PEN-1", "11")], country="DE", method="express"
    ),
    "taxed at another rate": dict(
        lines=[("PEN-1", "1"), ("TEA-1", "5")], country="AT", method="standard", postal_code="1010"
    ),
}


@pytest.fixture
def catalog(mug, warehouse):
    for sku, price, weight in (("TEA-1", "9.99", "0.125"), ("PEN-1", "1.15", "0.015")):
        StockItemFactory(product=ProductFactory(sku=sku, price=price, weight_kg=weight), warehouse=warehouse)
    TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    TaxRateFactory(country="AT", rate=Decimal("0.2000"))


@pytest.mark.parametrize("basket", BASKETS.values(), ids=BASKETS.keys())
def test_the_placed_order_charges_what_the_summary_showed(staff_client, catalog, basket):
    # given a basket as the person on the phone sees it
    client = staff_client("order desk")
    customer = CustomerFactory()
    fields = dict(
        lines=basket["lines"],
        customer=customer,
        ship_country=basket["country"],
        shipping_method=basket["method"],
        ship_postal_code=basket.get("postal_code", "10115"),
    )
    preview = client.post(URL, entry_post(action="refresh", **fields)).context["basket"]

    # when the order is placed
    response = client.post(URL, entry_post(**fields))

    # then every figure of the order is the one the summary showed
    assert response.status_code == 302, response.content
    order = Order.objects.get(customer=customer)
    assert [(row.sku, row.line_total) for row in preview.rows] == list(order.lines.values_list("sku", "line_total"))
    assert (order.subtotal, order.shipping_total, order.tax_rate, order.tax_total, order.total) == (
        preview.subtotal,
        preview.shipping,
        preview.tax_rate,
        preview.tax,
        preview.total,
    )
    assert preview.total > 0
