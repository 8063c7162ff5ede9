"""Role × the newer stock actions: receipt into a new warehouse, bin moves, the link to orders with the SKU."""

import pytest
from django.contrib.admin.models import LogEntry

from inventory.models import StockItem, StockMovement
from tests.dashboard.roles import ROLES
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

MAY_VIEW = {"order desk", "warehouse", "manager"}
MAY_CHANGE = {"warehouse", "manager"}
ORDERS_LINK = 'href="/dashboard/orders/?sku=MUG-1"'


@pytest.fixture
def item(db):
    return StockItemFactory(
        product=ProductFactory(sku="MUG-1", reorder_point=50),
        warehouse=WarehouseFactory(code="MAIN", priority=1),
        on_hand=10,
        bin_location="A-1",
    )


@pytest.mark.parametrize("role", ROLES)
def test_what_the_ledger_and_low_stock_pages_show(staff_client, item, role):
    client = staff_client(role)

    ledger = client.get("/dashboard/inventory/sku/MUG-1/")
    low = client.get("/dashboard/inventory/low/")

    if role not in MAY_VIEW:
        assert (ledger.status_code, low.status_code) == (403, 403)
        return
    assert ("Save bin location" in ledger.text) == (role in MAY_CHANGE)
    assert ('name="receive-bin_location"' in ledger.text) == (role in MAY_CHANGE)
    may_orders = client.user.has_perm("orders.view_order")
    assert (ORDERS_LINK in ledger.text, ORDERS_LINK in low.text) == (may_orders, may_orders)
    assert "Orders with this SKU" in ledger.text


@pytest.mark.parametrize("role", ROLES)
def test_forced_receipt_into_a_new_warehouse(staff_client, item, role):
    eu = WarehouseFactory(code="EU", priority=2)

    response = staff_client(role).post(
        "/dashboard/inventory/sku/MUG-1/receive/",
        {"receive-warehouse": eu.pk, "receive-quantity": "5", "receive-reason": "PO 1"},
    )

    if role in MAY_CHANGE:
        assert response.status_code == 302
        assert StockItem.objects.get(warehouse=eu).on_hand == 5
    else:
        assert response.status_code == 403
        assert not StockItem.objects.filter(warehouse=eu).exists()
        assert not StockMovement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_forced_bin_move(staff_client, item, role):
    response = staff_client(role).post(
        "/dashboard/inventory/sku/MUG-1/bin/", {"bin-stock_item": item.pk, "bin-bin_location": "Z-9"}
    )

    if role in MAY_CHANGE:
        assert response.status_code == 302
        assert StockItem.objects.get(pk=item.pk).bin_location == "Z-9"
    else:
        assert response.status_code == 403
        assert StockItem.objects.get(pk=item.pk).bin_location == "A-1"
        assert not LogEntry.objects.exists()
