"""The ledger per SKU, and adjustments and goods receipts written through it."""

import pytest

from inventory.models import StockItem, StockMovement
from inventory.services import stock_adjust
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def item(db):
    return StockItemFactory(
        product=ProductFactory(sku="MUG-1", name="Mug"), warehouse=WarehouseFactory(code="MAIN"), on_hand=10, reserved=4
    )


def test_ledger_lists_movements_newest_first(staff_client, item):
    stock_adjust(stock_item_id=item.pk, delta=5, reason="Found in aisle B", actor="walt")
    stock_adjust(stock_item_id=item.pk, delta=-2, reason="Damaged", actor="walt")
    client = staff_client("warehouse")

    response = client.get("/dashboard/inventory/sku/MUG-1/")

    assert [(m.on_hand_delta, m.reason) for m in response.context["page_obj"]] == [
        (-2, "Damaged"),
        (5, "Found in aisle B"),
    ]
    assert "Found in aisle B" in response.text and "walt" in response.text and "Adjustment" in response.text


def test_ledger_pages_and_empty_and_unknown(staff_client, item):
    client = staff_client("order desk")

    assert "No stock movements recorded" in client.get("/dashboard/inventory/sku/MUG-1/").text
    assert client.get("/dashboard/inventory/sku/NOPE/").status_code == 404
    assert client.get("/dashboard/inventory/sku/%00/").status_code == 404
    for n in range(55):
        stock_adjust(stock_item_id=item.pk, delta=1, reason=f"count {n}", actor="walt")
    assert len(client.get("/dashboard/inventory/sku/MUG-1/", {"page": 2}).context["page_obj"]) == 5


def test_adjustment_is_written_to_the_ledger(staff_client, item):
    client = staff_client("warehouse", username="walt")

    response = client.post(
        "/dashboard/inventory/sku/MUG-1/adjust/",
        {"adjust-stock_item": item.pk, "adjust-delta": "-3", "adjust-reason": "Broken in transit"},
        follow=True,
    )

    assert response.redirect_chain[0][0] == "/dashboard/inventory/sku/MUG-1/"
    assert "Adjusted MUG-1 in MAIN by -3: now 7 on hand, 3 available." in response.text
    assert StockItem.objects.get(pk=item.pk).on_hand == 7
    movement = StockMovement.objects.get()
    assert (movement.kind, movement.on_hand_delta, movement.reason, movement.actor) == (
        "adjustment",
        -3,
        "Broken in transit",
        "walt",
    )


def test_goods_receipt_is_written_to_the_ledger(staff_client, item):
    client = staff_client("warehouse", username="walt")

    response = client.post(
        "/dashboard/inventory/sku/MUG-1/receive/",
        {"receive-warehouse": item.warehouse_id, "receive-quantity": "12", "receive-reason": "PO 4711"},
    )

    assert response.status_code == 302
    assert StockItem.objects.get(pk=item.pk).on_hand == 22
    movement = StockMovement.objects.get()
    assert (movement.kind, movement.on_hand_delta, movement.reason, movement.actor) == (
        "receipt",
        12,
        "PO 4711",
        "walt",
    )


def test_adjusting_below_reserved_is_refused_beside_the_field(staff_client, item):
    client = staff_client("warehouse")

    response = client.post(
        "/dashboard/inventory/sku/MUG-1/adjust/",
        {"adjust-stock_item": item.pk, "adjust-delta": "-7", "adjust-reason": "Recount"},
    )

    assert response.status_code == 400
    assert response.context["adjust_form"].errors["delta"] == [
        "At most 6 can be removed: 10 on hand, 4 of them reserved for orders."
    ]
    assert 'id="id_adjust-delta-error"' in response.text
    assert (StockItem.objects.get(pk=item.pk).on_hand, StockMovement.objects.count()) == (10, 0)


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("adjust", {"adjust-delta": "0", "adjust-reason": "x"}, "delta"),
        ("adjust", {"adjust-delta": "2", "adjust-reason": "   "}, "reason"),
        ("adjust", {"adjust-delta": "abc", "adjust-reason": "x"}, "delta"),
        ("receive", {"receive-quantity": "0", "receive-reason": "x"}, "quantity"),
        ("receive", {"receive-quantity": "5", "receive-reason": ""}, "reason"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(staff_client, item, url, data, field):
    client = staff_client("manager")
    prefix = "adjust" if url == "adjust" else "receive"

    chosen = {"adjust-stock_item": item.pk} if prefix == "adjust" else {"receive-warehouse": item.warehouse_id}

    response = client.post(f"/dashboard/inventory/sku/MUG-1/{url}/", {**chosen, **data})

    assert response.status_code == 400
    assert field in response.context[f"{prefix}_form"].errors
    assert (StockItem.objects.get(pk=item.pk).on_hand, StockMovement.objects.count()) == (10, 0)


def test_a_stock_row_of_another_product_is_refused(staff_client, item):
    other = StockItemFactory(warehouse=item.warehouse)
    client = staff_client("warehouse")

    response = client.post(
        "/dashboard/inventory/sku/MUG-1/adjust/",
        {"adjust-stock_item": other.pk, "adjust-delta": "5", "adjust-reason": "x"},
    )

    assert response.status_code == 400
    assert StockMovement.objects.count() == 0
