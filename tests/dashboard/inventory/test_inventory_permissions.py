"""Role × action on the inventory pages: what is shown, and what a forced POST does."""

import pytest

from inventory.models import StockItem, StockMovement
from tests.dashboard.roles import ROLES
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

MAY_VIEW = {"order desk", "warehouse", "manager"}
MAY_CHANGE = {"warehouse", "manager"}


@pytest.fixture
def item(db):
    return StockItemFactory(product=ProductFactory(sku="MUG-1"), warehouse=WarehouseFactory(code="MAIN"), on_hand=10)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path", ["/dashboard/inventory/", "/dashboard/inventory/low/", "/dashboard/inventory/sku/MUG-1/"]
)
def test_pages(staff_client, item, role, path):
    response = staff_client(role).get(path)

    assert response.status_code == (200 if role in MAY_VIEW else 403)


@pytest.mark.parametrize("role", sorted(MAY_VIEW))
def test_change_forms_shown_only_to_those_who_may(staff_client, item, role):
    response = staff_client(role).get("/dashboard/inventory/sku/MUG-1/")

    assert ("Adjust stock" in response.text) == (role in MAY_CHANGE)
    assert ("Receive stock" in response.text) == (role in MAY_CHANGE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("adjust", {"adjust-delta": "5", "adjust-reason": "Recount"}),
        ("receive", {"receive-quantity": "5", "receive-reason": "PO 1"}),
    ],
)
def test_forced_stock_change(staff_client, item, role, action, data):
    client = staff_client(role)

    chosen = {"adjust-stock_item": item.pk} if action == "adjust" else {"receive-warehouse": item.warehouse_id}

    response = client.post(f"/dashboard/inventory/sku/MUG-1/{action}/", {**chosen, **data})

    if role in MAY_CHANGE:
        assert response.status_code == 302
        assert StockItem.objects.get(pk=item.pk).on_hand == 15
    else:
        assert response.status_code == 403
        assert StockItem.objects.get(pk=item.pk).on_hand == 10
        assert StockMovement.objects.count() == 0
