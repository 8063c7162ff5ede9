"""Picking refuses when the source has too few available units, naming each SKU and its shortfall, and writes
nothing; units reserved for orders are not available to a transfer."""

import pytest

from inventory.exceptions import OutOfStock
from inventory.models import StockItem, StockMovement, Transfer
from inventory.services import StockRequest, stock_reserve
from inventory.transfers import transfer_create, transfer_pick


def test_picking_more_than_available_is_refused_and_writes_nothing(clerk, stocked, draft, east):
    mug, cup, pen = stocked("MUG-1", 10), stocked("CUP-1", 3), stocked("PEN-1", 50)
    stock_reserve(requests=[StockRequest(key=1, product_id=mug.pk, quantity=4)], reference="ORDER-1")
    transfer = draft({mug: 8, cup: 3, pen: 5})
    rows_before = list(StockItem.objects.order_by("pk").values_list("pk", "on_hand", "reserved"))
    movements_before = StockMovement.objects.count()

    with pytest.raises(OutOfStock) as refused:
        transfer_pick(transfer_id=transfer.pk, user=clerk)

    # 10 on hand but 4 reserved for an order: 6 available, 2 short
    assert str(refused.value) == "Not enough stock in EAST for MUG-1 (short 2)."
    assert refused.value.short == {"MUG-1": 2}
    assert list(StockItem.objects.order_by("pk").values_list("pk", "on_hand", "reserved")) == rows_before
    assert StockMovement.objects.count() == movements_before
    assert Transfer.objects.get(pk=transfer.pk).status == "draft"


def test_a_product_the_source_does_not_stock_is_short_by_the_whole_quantity(clerk, west, east, draft):
    from tests.factories import ProductFactory, StockItemFactory

    bowl = ProductFactory(sku="BOWL-1")
    StockItemFactory(product=bowl, warehouse=west, on_hand=40)
    transfer = transfer_create(from_warehouse_id=east.pk, to_warehouse_id=west.pk, lines=[(bowl.pk, 5)], user=clerk)

    with pytest.raises(OutOfStock, match=r"BOWL-1 \(short 5\)"):
        transfer_pick(transfer_id=transfer.pk, user=clerk)
