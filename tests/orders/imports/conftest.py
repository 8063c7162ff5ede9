import csv
import io

import pytest

from orders.services.import_files import COLUMNS
from tests.factories import ProductFactory, StockItemFactory

ROW = {
    "external_ref": "WEB-1",
    "customer_email": "ann@example.com",
    "customer_name": "Ann Example",
    "customer_phone": "",
    "ship_name": "Ann Example",
    "ship_line1": "1 Main St",
    "ship_line2": "",
    "ship_city": "Berlin",
    "ship_region": "",
    "ship_postal_code": "10115",
    "ship_country": "DE",
    "shipping_method": "standard",
    "payment_method": "bank_transfer",
    "sku": "MUG-1",
    "quantity": "1",
    "notes": "",
}


@pytest.fixture
def catalog(mug, warehouse):
    StockItemFactory(product=ProductFactory(sku="TEA-1", name="Tea", price="4.00"), warehouse=warehouse, on_hand=50)


def row(**values) -> dict:
    return {**ROW, **values}


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# Two orders: WEB-1 of two lines, WEB-2 of one.
GOOD = [
    row(external_ref="WEB-1", sku="MUG-1", quantity="2"),
    row(external_ref="WEB-1", sku="TEA-1", quantity="3"),
    row(external_ref="WEB-2", customer_email="bob@example.com", customer_name="Bob", ship_name="Bob", sku="TEA-1"),
]
