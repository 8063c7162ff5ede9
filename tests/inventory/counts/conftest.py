import pytest

from inventory.counts import cycle_count_create
from inventory.models import StockItem, StockMovement
from inventory.services import stock_receive_into
from tests.factories import ProductFactory, StaffFactory, WarehouseFactory


@pytest.fixture
def main(db):
    return WarehouseFactory(code="MAIN", priority=1)


@pytest.fixture
def counter(db):
    return StaffFactory(role="warehouse", username="cora")


@pytest.fixture
def shelf(main):
    """``shelf(sku, units, bin)``: a product whose units arrived in MAIN, in that bin, through the ledger."""

    def make(sku: str, units: int, bin_location: str, *, reorder_point: int = 0) -> StockItem:
        product = ProductFactory(sku=sku, reorder_point=reorder_point)
        item, _ = stock_receive_into(
            product_id=product.pk, warehouse_id=main.pk, quantity=units, reason="initial", bin_location=bin_location
        )
        return item

    return make


@pytest.fixture
def sheet(main, counter):
    """``sheet(bin_from="", bin_to="")``: a count sheet of MAIN."""
    return lambda bin_from="", bin_to="": cycle_count_create(
        warehouse_id=main.pk, bin_from=bin_from, bin_to=bin_to, user=counter
    )


@pytest.fixture
def line_of():
    """``line_of(count, item)``: the sheet's line for that stock row."""
    return lambda count, item: count.lines.get(stock_item=item)


@pytest.fixture
def counts_of():
    """``counts_of(reference)``: (SKU, on hand delta, reason, actor) of the count's movements, by SKU."""

    def read(reference: str):
        return sorted(
            StockMovement.objects.filter(reference=reference, kind="count").values_list(
                "stock_item__product__sku", "on_hand_delta", "reason", "actor"
            )
        )

    return read
