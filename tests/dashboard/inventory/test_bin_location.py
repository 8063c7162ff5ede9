"""Moving a stock row to another bin: the row changes, the ledger does not, and the move is recorded."""

import pytest
from django.contrib.admin.models import LogEntry

from inventory.exceptions import InvalidStockChange
from inventory.models import StockItem, StockMovement
from inventory.services import stock_item_bin_set
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory

URL = "/dashboard/inventory/sku/MUG-1/bin/"


@pytest.fixture
def item(db):
    return StockItemFactory(
        product=ProductFactory(sku="MUG-1"), warehouse=WarehouseFactory(code="MAIN"), on_hand=10, bin_location="A-1"
    )


def test_the_service_moves_the_bin_and_records_who(item):
    walt = StaffFactory(role="warehouse", username="walt")

    stock_item_bin_set(stock_item_id=item.pk, bin_location=" C-3 ", user=walt)

    assert StockItem.objects.get(pk=item.pk).bin_location == "C-3"
    entry = LogEntry.objects.get()
    assert (entry.user_id, entry.object_id, entry.change_message) == (walt.pk, str(item.pk), "MAIN: bin A-1 → C-3")
    assert not StockMovement.objects.exists()


def test_the_same_bin_records_nothing(item):
    stock_item_bin_set(stock_item_id=item.pk, bin_location="A-1", user=StaffFactory())

    assert not LogEntry.objects.exists()


def test_a_too_long_bin_is_refused(item):
    with pytest.raises(InvalidStockChange):
        stock_item_bin_set(stock_item_id=item.pk, bin_location="X" * 21, user=StaffFactory())

    assert StockItem.objects.get(pk=item.pk).bin_location == "A-1"


def test_the_page_moves_the_bin_and_shows_the_move(staff_client, item):
    client = staff_client("warehouse", username="walt")

    response = client.post(URL, {"bin-stock_item": item.pk, "bin-bin_location": "C-3"}, follow=True)

    assert "MUG-1 in MAIN is now in bin C-3." in response.text
    assert "MAIN: bin A-1 → C-3" in response.text
    assert StockItem.objects.get(pk=item.pk).bin_location == "C-3"


def test_clearing_the_bin(staff_client, item):
    response = staff_client("manager").post(URL, {"bin-stock_item": item.pk, "bin-bin_location": ""}, follow=True)

    assert "MUG-1 in MAIN has no bin location now." in response.text
    assert StockItem.objects.get(pk=item.pk).bin_location == ""


def test_a_stock_row_of_another_product_is_refused(staff_client, item):
    other = StockItemFactory(warehouse=item.warehouse, bin_location="Q-1")

    response = staff_client("warehouse").post(URL, {"bin-stock_item": other.pk, "bin-bin_location": "Z-1"})

    assert response.status_code == 400
    assert StockItem.objects.get(pk=other.pk).bin_location == "Q-1"
    assert not LogEntry.objects.exists()
