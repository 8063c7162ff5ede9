"""Role × purchasing page: the warehouse and managers (inventory.manage_purchasing) see and act; every other role
gets 403, also when it forces a POST, and nothing changes."""

import pytest

from inventory.models import PurchaseOrder, StockMovement, Supplier
from tests.dashboard.roles import ROLES
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

MAY = {"warehouse", "manager"}


@pytest.fixture
def po(make_po, mug):
    return make_po({mug: 10})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/inventory/suppliers/",
        "/dashboard/inventory/suppliers/new/",
        "/dashboard/inventory/suppliers/{supplier}/",
        "/dashboard/inventory/purchase-orders/",
        "/dashboard/inventory/purchase-orders/new/",
        "/dashboard/inventory/purchase-orders/{po}/",
        "/dashboard/inventory/purchase-orders/{po}/edit/",
        "/dashboard/inventory/purchase-orders/{po}/pdf/",
        "/dashboard/inventory/reorder/",
    ],
)
def test_pages(staff_client, po, supplier, role, path):
    response = staff_client(role).get(path.format(po=po.number, supplier=supplier.pk))

    assert response.status_code == (200 if role in MAY else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_tabs_show_only_to_those_who_may(staff_client, po, role):
    response = staff_client(role).get("/dashboard/inventory/")

    if response.status_code == 200:
        assert ("Purchase orders" in response.text) == (role in MAY)
        assert ("/dashboard/inventory/reorder/" in response.text) == (role in MAY)


def _state(po):
    po = PurchaseOrder.objects.get(pk=po.pk)
    return (
        po.status,
        list(po.lines.values_list("quantity_received", flat=True)),
        StockMovement.objects.count(),
        PurchaseOrder.objects.count(),
        list(Supplier.objects.values_list("name", flat=True)),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("purchase-orders/{po}/receive/", lambda po: {f"line_{po.lines.get().pk}": "4"}),
        ("purchase-orders/{po}/cancel/", lambda po: {}),
        ("reorder/draft/", lambda po: {}),
        ("suppliers/new/", lambda po: {"name": "Forced", "lead_time_days": "3"}),
    ],
)
def test_forced_actions(staff_client, po, role, action, data):
    mug_low = ProductFactory(sku="LOW-1", reorder_point=5, supplier=po.supplier)
    StockItemFactory(product=mug_low, warehouse=WarehouseFactory(code="MAIN"), on_hand=1)
    before = _state(po)

    response = staff_client(role).post(f"/dashboard/inventory/{action.format(po=po.number)}", data(po))

    if role in MAY:
        assert response.status_code == 302
        assert _state(po) != before
    else:
        assert response.status_code == 403
        assert _state(po) == before
