"""Role × the cycle count pages: who sees them, and a forced save, post or new sheet by anyone else (403)."""

import pytest

from inventory.models import CycleCount, StockItem, StockMovement
from tests.dashboard.roles import ROLES

MAY = {"warehouse", "manager"}


@pytest.fixture
def count(shelf, sheet):
    shelf("MUG-1", 10, "A-1")
    return sheet()


@pytest.mark.parametrize("role", ROLES)
def test_pages(staff_client, count, role):
    client = staff_client(role)

    for path in (
        "/dashboard/inventory/counts/",
        "/dashboard/inventory/counts/new/",
        f"/dashboard/inventory/counts/{count.number}/",
        f"/dashboard/inventory/counts/{count.number}/print/",
    ):
        assert client.get(path).status_code == (200 if role in MAY else 403), path


@pytest.mark.parametrize("role", ROLES)
def test_forced_post(staff_client, count, role):
    line = count.lines.get()

    response = staff_client(role).post(
        f"/dashboard/inventory/counts/{count.number}/save/", {f"line_{line.pk}": "7", "post": "1"}
    )

    if role in MAY:
        assert response.status_code == 302
        assert StockItem.objects.get().on_hand == 7
    else:
        assert response.status_code == 403
        assert StockItem.objects.get().on_hand == 10
        assert not StockMovement.objects.filter(kind="count").exists()
        assert CycleCount.objects.get(pk=count.pk).lines.get().counted is None


@pytest.mark.parametrize("role", ROLES)
def test_forced_new_sheet_and_cancel(staff_client, count, main, role):
    client = staff_client(role)

    cancel = client.post(f"/dashboard/inventory/counts/{count.number}/cancel/")
    new = client.post("/dashboard/inventory/counts/new/", {"warehouse": main.pk})

    assert (cancel.status_code, new.status_code) == ((302, 302) if role in MAY else (403, 403))
    assert CycleCount.objects.count() == (2 if role in MAY else 1)
