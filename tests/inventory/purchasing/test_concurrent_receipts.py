"""Two people booking the same delivery at once: the PO's row lock makes the second see the first's receipt, so a
line never receives more than was ordered and stock agrees with the ledger."""

import pytest
from django.contrib.contenttypes.models import ContentType

from inventory import purchasing
from inventory.models import PurchaseOrder, StockItem, StockMovement
from oms.exceptions import InvalidInput
from tests.factories import ProductFactory, StaffFactory, WarehouseFactory
from tests.inventory.purchasing.conftest import SupplierFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("each", "booked", "status"), [(6, [6], "partially_received"), (5, [5, 5], "received")])
def test_concurrent_receipts_never_exceed_the_ordered_quantity(postgres_only, parallel, each, booked, status):
    # given a sent PO for 10 mugs into a warehouse that does not stock them yet
    ContentType.objects.clear_cache()  # an earlier transaction=True test re-created the content types
    user = StaffFactory(username="walt")
    mug, main = ProductFactory(sku="MUG-1"), WarehouseFactory(code="MAIN")
    po = purchasing.purchase_order_create(
        supplier_id=SupplierFactory().pk,
        warehouse_id=main.pk,
        user=user,
        lines=[purchasing.LineInput(product_id=mug.pk, quantity=10, unit_cost=1)],
    )
    purchasing.purchase_order_send(number=po.number, user=user)
    line = po.lines.get()

    # when two receipts of ``each`` units run at the same moment
    results = parallel(
        [lambda: purchasing.purchase_order_receive(number=po.number, quantities={line.pk: each}, user=user)] * 2,
        catch=(InvalidInput,),
    )

    # then at most 10 arrive, the refused one names the line, and stock agrees with the ledger
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(refused) == 2 - len(booked)
    assert all(f"line_{line.pk}" in r.fields for r in refused)
    line.refresh_from_db()
    assert line.quantity_received == sum(booked)
    assert StockItem.objects.get(product=mug, warehouse=main).on_hand == sum(booked)
    assert sorted(StockMovement.objects.filter(reference=po.number).values_list("on_hand_delta", flat=True)) == booked
    assert PurchaseOrder.objects.get(pk=po.pk).status == status
