"""Purchase orders are numbered PO-<year>-<six digits> from the stock documents' yearly sequence, as transfers
and counts are, each series on its own: the numbering carries on from the last number given."""

import pytest
from django.utils import timezone

from inventory import purchasing
from inventory.models import StockDocumentSequence
from tests.factories import ProductFactory, StaffFactory, WarehouseFactory
from tests.inventory.purchasing.conftest import SupplierFactory

pytestmark = pytest.mark.django_db


def test_numbers_carry_on_from_the_series_last_and_leave_other_series_alone():
    # given this year's purchase orders reached 41, and transfers 7
    year = timezone.localdate().year
    StockDocumentSequence.objects.create(series="PO", year=year, last=41)
    StockDocumentSequence.objects.create(series="TR", year=year, last=7)
    supplier, warehouse = SupplierFactory(), WarehouseFactory()
    product, buyer = ProductFactory(supplier=supplier), StaffFactory(role="manager")

    # when two purchase orders are drafted
    numbers = [
        purchasing.purchase_order_create(
            supplier_id=supplier.pk,
            warehouse_id=warehouse.pk,
            user=buyer,
            lines=[purchasing.LineInput(product_id=product.pk, quantity=5, unit_cost="2.00")],
        ).number
        for _ in range(2)
    ]

    # then they take 42 and 43, and the transfers' series is where it was
    assert numbers == [f"PO-{year}-000042", f"PO-{year}-000043"]
    assert StockDocumentSequence.objects.get(series="TR", year=year).last == 7
