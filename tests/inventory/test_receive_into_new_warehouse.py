"""``stock_receive_into``: a receipt creates the stock row it needs, in one transaction with its movement, and
two receipts into the same new warehouse end in one row, also when they run at the same moment."""

import pytest

from inventory.exceptions import InvalidStockChange
from inventory.models import StockItem, StockMovement
from inventory.services import stock_receive_into
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


def test_a_receipt_into_a_new_warehouse_creates_the_row_and_the_movement(db):
    mug, eu = ProductFactory(), WarehouseFactory(code="EU")

    item, created = stock_receive_into(
        product_id=mug.pk, warehouse_id=eu.pk, quantity=8, reason="PO 1", bin_location="B-2", actor="walt"
    )

    assert created
    assert (item.product_id, item.warehouse_id, item.on_hand, item.reserved, item.bin_location) == (
        mug.pk,
        eu.pk,
        8,
        0,
        "B-2",
    )
    assert list(StockMovement.objects.values_list("stock_item_id", "kind", "on_hand_delta", "actor")) == [
        (item.pk, "receipt", 8, "walt")
    ]


def test_a_receipt_into_an_existing_row_adds_to_it(db):
    existing = StockItemFactory(on_hand=5, bin_location="A-1")

    item, created = stock_receive_into(
        product_id=existing.product_id, warehouse_id=existing.warehouse_id, quantity=3, reason="PO 2"
    )

    assert not created
    assert (item.pk, item.on_hand, item.bin_location) == (existing.pk, 8, "A-1")


def test_sequential_receipts_into_the_same_new_warehouse_end_in_one_row(db):
    mug, eu = ProductFactory(), WarehouseFactory(code="EU")

    first = stock_receive_into(product_id=mug.pk, warehouse_id=eu.pk, quantity=2, reason="PO 1")
    second = stock_receive_into(product_id=mug.pk, warehouse_id=eu.pk, quantity=3, reason="PO 2")

    assert (first[1], second[1]) == (True, False)
    assert StockItem.objects.get(product=mug, warehouse=eu).on_hand == 5
    assert StockMovement.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"quantity": 0}, "quantity"), ({"reason": "  "}, "reason"), ({"bin_location": "X" * 21}, "bin_location")],
)
def test_bad_input_writes_nothing(db, changes, field):
    mug, eu = ProductFactory(), WarehouseFactory(code="EU")
    arguments = {"product_id": mug.pk, "warehouse_id": eu.pk, "quantity": 1, "reason": "PO", **changes}

    with pytest.raises(InvalidStockChange) as caught:
        stock_receive_into(**arguments)

    assert field in caught.value.fields
    assert not StockItem.objects.exists() and not StockMovement.objects.exists()


def test_an_inactive_warehouse_gets_no_new_row(db):
    mug, old = ProductFactory(), WarehouseFactory(code="OLD", is_active=False)

    with pytest.raises(InvalidStockChange):
        stock_receive_into(product_id=mug.pk, warehouse_id=old.pk, quantity=1, reason="PO")

    assert not StockItem.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_into_the_same_new_warehouse_end_in_one_row(postgres_only, parallel):
    # given a product no warehouse stocks yet
    mug, eu = ProductFactory(), WarehouseFactory(code="EU")

    # when two receipts run at the same moment, each on its own connection
    results = parallel(
        [
            lambda quantity=quantity: stock_receive_into(
                product_id=mug.pk, warehouse_id=eu.pk, quantity=quantity, reason="PO"
            )
            for quantity in (4, 6)
        ]
    )

    # then one created the row, the other added to it, and the row agrees with its ledger
    assert sorted(created for _, created in results) == [False, True]
    item = StockItem.objects.get(product=mug, warehouse=eu)
    assert item.on_hand == 10
    assert sorted(item.movements.values_list("on_hand_delta", flat=True)) == [4, 6]
