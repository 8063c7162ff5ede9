import base64
import re
import zlib
from decimal import Decimal

import pytest

from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def kitchen(warehouse):
    """Two products in warehouse MAIN, the heavier one in the first aisle: bin order is not SKU order."""
    mug = ProductFactory(sku="KIT-MUG", name="Stoneware Mug", weight_kg=Decimal("0.400"))
    pan = ProductFactory(sku="KIT-PAN", name="Skillet", weight_kg=Decimal("2.500"))
    StockItemFactory(product=mug, warehouse=warehouse, on_hand=20, bin_location="B-02-1")
    StockItemFactory(product=pan, warehouse=warehouse, on_hand=20, bin_location="A-01-3")
    return {"mug": mug, "pan": pan}


@pytest.fixture
def second_warehouse(db):
    return WarehouseFactory(code="WEST", name="West Coast", priority=5)


@pytest.fixture
def lamp(second_warehouse):
    """A product only warehouse WEST stocks: an order with it and a MAIN product is split."""
    product = ProductFactory(sku="HOM-LMP", name="Desk Lamp", weight_kg=Decimal("1.600"))
    StockItemFactory(product=product, warehouse=second_warehouse, on_hand=10, bin_location="R-01-1")
    return product


def pdf_text(content: bytes) -> bytes:
    """The PDF's bytes with every stream decoded (ReportLab: ASCII85, then Flate), so page text can be searched."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = match.group(1).strip()
        try:
            if data.endswith(b"~>"):
                data = base64.a85decode(data[:-2], adobe=False)
            parts.append(zlib.decompress(data))
        except (ValueError, zlib.error):
            continue
    return b"\n".join(parts)
