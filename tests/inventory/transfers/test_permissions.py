"""Role × the transfer pages: who sees them, who may act, and a forced step by anyone else (403, nothing moved)."""

import pytest

from inventory.models import StockItem, StockMovement, Transfer
from tests.dashboard.roles import ROLES

MAY = {"warehouse", "manager"}


@pytest.fixture
def transfer(stocked, draft):
    return draft({stocked("MUG-1", 10): 3})


@pytest.mark.parametrize("role", ROLES)
def test_pages(staff_client, transfer, role):
    client = staff_client(role)

    for path in (
        "/dashboard/inventory/transfers/",
        f"/dashboard/inventory/transfers/{transfer.number}/",
        "/dashboard/inventory/transfers/new/",
    ):
        assert client.get(path).status_code == (200 if role in MAY else 403), path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", ["pick", "cancel"])
def test_forced_step(staff_client, transfer, role, step):
    before = list(StockItem.objects.values_list("pk", "on_hand", "reserved"))

    response = staff_client(role).post(f"/dashboard/inventory/transfers/{transfer.number}/{step}/")

    status = Transfer.objects.get(pk=transfer.pk).status
    if role in MAY:
        assert response.status_code == 302
        assert status == {"pick": "picked", "cancel": "cancelled"}[step]
    else:
        assert response.status_code == 403
        assert status == "draft"
        assert list(StockItem.objects.values_list("pk", "on_hand", "reserved")) == before
        assert not StockMovement.objects.filter(reference=transfer.number).exists()


@pytest.mark.parametrize("role", ROLES)
def test_forced_create(staff_client, east, west, stocked, role):
    stocked("MUG-1", 10)

    response = staff_client(role).post(
        "/dashboard/inventory/transfers/new/",
        {"from_warehouse": east.pk, "to_warehouse": west.pk, "sku_0": "MUG-1", "quantity_0": "3"},
    )

    assert response.status_code == (302 if role in MAY else 403)
    assert Transfer.objects.exists() == (role in MAY)


@pytest.mark.parametrize("role", ["order desk", "warehouse", "manager"])
def test_the_tabs_offer_what_the_role_may_open(staff_client, transfer, role):
    page = staff_client(role).get("/dashboard/inventory/")

    assert ('href="/dashboard/inventory/transfers/"' in page.text) == (role in MAY)
    assert ('href="/dashboard/inventory/counts/"' in page.text) == (role in MAY)
