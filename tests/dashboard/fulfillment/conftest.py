import base64
import re
import zlib
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

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


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page as a reader sees it (pypdf maps the embedded font subsets back to Unicode)."""
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the pages draw with and the PDF embeds (a subset's tag prefix removed)."""
    fonts = set()
    for page in PdfReader(BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            source = descendants[0].get_object() if descendants else font
            descriptor = source.get("/FontDescriptor")
            embedded = descriptor and any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2"))
            if embedded:
                fonts.add(str(font["/BaseFont"]).lstrip("/").split("+")[-1])
    return fonts


def pdf_text(content: bytes) -> bytes:
    """The PDF's bytes with every stream decoded (ReportLab: ASCII85, then Flate), then each page's text
    (UTF-8), so page structure and printed words can both be searched."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = match.group(1).strip()
        try:
            if data.endswith(b"~>"):
                data = base64.a85decode(data[:-2], adobe=False)
            parts.append(zlib.decompress(data))
        except (ValueError, zlib.error):
            continue
    parts += [text.encode() for text in pdf_pages(content)]
    return b"\n".join(parts)
