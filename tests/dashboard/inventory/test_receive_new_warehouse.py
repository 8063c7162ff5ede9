"""Goods received into a warehouse that does not stock the product yet: a new stock row and its receipt."""

import pytest

from inventory.models import StockItem, StockMovement
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

URL = "/dashboard/inventory/sku/MUG-1/receive/"


@pytest.fixture
def mug(db):
    return ProductFactory(sku="MUG-1", name="Mug")


@pytest.fixture
def main(mug):
    warehouse = WarehouseFactory(code="MAIN", priority=1)
    StockItemFactory(product=mug, warehouse=warehouse, on_hand=10, reserved=2, bin_location="A-1")
    return warehouse


def test_the_receipt_form_offers_every_active_warehouse(staff_client, main):
    WarehouseFactory(code="EU", priority=2)
    WarehouseFactory(code="OLD", priority=3, is_active=False)

    form = staff_client("warehouse").get("/dashboard/inventory/sku/MUG-1/").context["receive_form"]

    labels = [label for _, label in form.fields["warehouse"].choices]
    assert labels == ["MAIN (10 on hand, 2 reserved)", "EU (not stocked yet)"]


def test_a_product_stocked_nowhere_can_be_received(staff_client, mug):
    WarehouseFactory(code="EU")

    response = staff_client("warehouse").get("/dashboard/inventory/sku/MUG-1/")

    assert "This product is not stocked in any warehouse. Book a goods receipt to stock it." in response.text
    assert "Receive stock" in response.text
    assert "Adjust stock" not in response.text  # adjustments need an existing row


def test_receiving_into_a_new_warehouse_creates_the_row_and_the_receipt(staff_client, main, mug):
    eu = WarehouseFactory(code="EU", priority=2)
    client = staff_client("warehouse", username="walt")

    response = client.post(
        URL,
        {
            "receive-warehouse": eu.pk,
            "receive-quantity": "7",
            "receive-bin_location": " B-2 ",
            "receive-reason": "PO 9",
        },
        follow=True,
    )

    item = StockItem.objects.get(product=mug, warehouse=eu)
    assert (item.on_hand, item.reserved, item.bin_location) == (7, 0, "B-2")
    movement = StockMovement.objects.get(stock_item=item)
    assert (movement.kind, movement.on_hand_delta, movement.reason, movement.actor) == ("receipt", 7, "PO 9", "walt")
    assert (
        "Received 7 × MUG-1 into EU: now 7 on hand, 7 available. EU did not stock it before: new stock row in bin B-2."
        in response.text
    )


def test_two_receipts_into_the_same_new_warehouse_end_in_one_row(staff_client, mug):
    eu = WarehouseFactory(code="EU")
    client = staff_client("warehouse")

    for quantity in ("3", "4"):
        response = client.post(
            URL, {"receive-warehouse": eu.pk, "receive-quantity": quantity, "receive-reason": "PO 9"}
        )
        assert response.status_code == 302

    item = StockItem.objects.get(product=mug, warehouse=eu)
    assert item.on_hand == 7
    assert list(item.movements.order_by("pk").values_list("on_hand_delta", flat=True)) == [3, 4]


def test_a_different_bin_for_an_existing_row_is_refused_beside_the_field(staff_client, main, mug):
    client = staff_client("warehouse")

    response = client.post(
        URL,
        {"receive-warehouse": main.pk, "receive-quantity": "5", "receive-bin_location": "Z-9", "receive-reason": "x"},
    )

    assert response.status_code == 400
    assert "change the bin on the stock row" in response.context["receive_form"].errors["bin_location"][0]
    assert (StockItem.objects.get(warehouse=main).on_hand, StockMovement.objects.count()) == (10, 0)


def test_an_inactive_warehouse_without_stock_is_refused(staff_client, mug):
    old = WarehouseFactory(code="OLD", is_active=False)

    response = staff_client("warehouse").post(
        URL, {"receive-warehouse": old.pk, "receive-quantity": "5", "receive-reason": "x"}
    )

    assert response.status_code == 400
    assert "warehouse" in response.context["receive_form"].errors
    assert not StockItem.objects.exists() and not StockMovement.objects.exists()


def test_adjustments_still_offer_only_existing_rows(staff_client, main, mug):
    eu = WarehouseFactory(code="EU", priority=2)

    form = staff_client("warehouse").get("/dashboard/inventory/sku/MUG-1/").context["adjust_form"]

    assert [item.warehouse.code for item in form.fields["stock_item"].queryset] == ["MAIN"]
    assert not StockItem.objects.filter(warehouse=eu).exists()
