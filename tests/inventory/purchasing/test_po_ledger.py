"""Receiving a purchase order books the goods through the stock ledger, referencing the PO number, in part or
in whole; more than is still to come is refused and nothing is booked."""

import pytest

from inventory import purchasing
from inventory.models import PurchaseOrder, StockItem, StockMovement
from oms.exceptions import ConflictError, InvalidInput
from oms.models import OutboxMessage
from tests.factories import StockItemFactory, WarehouseFactory


def _lines(po):
    return {line.product.sku: line for line in po.lines.select_related("product")}


def test_a_new_po_is_a_numbered_draft_due_after_the_lead_time(make_po, mug, supplier):
    po = make_po({mug: 10}, send=False)

    assert po.status == "draft"
    assert po.number.startswith(f"PO-{po.created_at.year}-") and len(po.number) == len("PO-2026-000001")
    assert (po.expected_date - po.created_at.date()).days == supplier.lead_time_days
    assert make_po({mug: 1}, send=False).number[-6:] == f"{int(po.number[-6:]) + 1:06d}"


def test_partial_then_full_receipt(make_po, mug, jug, buyer, settings):
    settings.OMS_STOCK_ARRIVED_TASKS = ["tests.stock_arrived_probe_task"]  # only its outbox row is checked
    main = WarehouseFactory(code="MAIN")
    existing = StockItemFactory(product=mug, warehouse=main, on_hand=4)
    po = make_po({mug: 10, jug: 6}, warehouse=main)
    lines = _lines(po)

    po = purchasing.purchase_order_receive(
        number=po.number, quantities={lines["MUG-1"].pk: 7, lines["JUG-1"].pk: 0}, user=buyer
    )

    assert po.status == "partially_received"
    assert StockItem.objects.get(pk=existing.pk).on_hand == 11
    assert not StockItem.objects.filter(product=jug).exists()
    movement = StockMovement.objects.get()
    assert (movement.stock_item_id, movement.kind, movement.on_hand_delta, movement.reference, movement.actor) == (
        existing.pk,
        "receipt",
        7,
        po.number,
        "walt",
    )
    assert OutboxMessage.objects.filter(kwargs__product_ids=[mug.pk]).exists()  # stock_arrived was told

    po = purchasing.purchase_order_receive(
        number=po.number, quantities={lines["MUG-1"].pk: 3, lines["JUG-1"].pk: 6}, user=buyer
    )

    assert po.status == "received" and po.received_at is not None
    assert StockItem.objects.get(pk=existing.pk).on_hand == 14
    new_row = StockItem.objects.get(product=jug, warehouse=main)  # made in the destination warehouse
    assert new_row.on_hand == 6
    booked = StockMovement.objects.filter(reference=po.number).values_list("on_hand_delta", flat=True)
    assert sorted(booked) == [3, 6, 7]
    assert {(line.quantity_ordered, line.quantity_received) for line in _lines(po).values()} == {(10, 10), (6, 6)}


def test_over_receipt_is_refused_naming_the_line_and_nothing_is_written(make_po, mug, jug, buyer):
    main = WarehouseFactory(code="MAIN")
    item = StockItemFactory(product=mug, warehouse=main, on_hand=4)
    po = make_po({mug: 10, jug: 5}, warehouse=main)
    lines = _lines(po)
    purchasing.purchase_order_receive(number=po.number, quantities={lines["MUG-1"].pk: 8}, user=buyer)

    with pytest.raises(InvalidInput) as refused:
        purchasing.purchase_order_receive(
            number=po.number, quantities={lines["MUG-1"].pk: 3, lines["JUG-1"].pk: 5}, user=buyer
        )

    assert refused.value.fields == {
        f"line_{lines['MUG-1'].pk}": ["MUG-1: 3 is more than the 2 still to come (10 ordered, 8 received)."]
    }
    assert StockItem.objects.get(pk=item.pk).on_hand == 12
    assert not StockItem.objects.filter(product=jug).exists()
    assert StockMovement.objects.count() == 1
    assert PurchaseOrder.objects.get(pk=po.pk).status == "partially_received"
    assert {line.quantity_received for line in _lines(po).values()} == {8, 0}


def test_nothing_entered_is_refused(make_po, mug, buyer):
    po = make_po({mug: 10})

    with pytest.raises(InvalidInput, match="at least one line"):
        purchasing.purchase_order_receive(number=po.number, quantities={_lines(po)["MUG-1"].pk: 0}, user=buyer)

    assert StockMovement.objects.count() == 0


def test_a_draft_cannot_be_received_and_a_received_po_cannot_be_cancelled(make_po, mug, buyer):
    draft = make_po({mug: 10}, send=False)
    with pytest.raises(ConflictError, match="only a sent purchase order can be received"):
        purchasing.purchase_order_receive(number=draft.number, quantities={_lines(draft)["MUG-1"].pk: 1}, user=buyer)

    sent = make_po({mug: 10})
    purchasing.purchase_order_receive(number=sent.number, quantities={_lines(sent)["MUG-1"].pk: 1}, user=buyer)
    with pytest.raises(ConflictError, match="nothing was received"):
        purchasing.purchase_order_cancel(number=sent.number, user=buyer)
    assert PurchaseOrder.objects.get(pk=sent.pk).status == "partially_received"


def test_cancel_a_sent_po_before_anything_arrived(make_po, mug, buyer):
    po = make_po({mug: 10})

    po = purchasing.purchase_order_cancel(number=po.number, user=buyer)

    assert po.status == "cancelled" and po.cancelled_at is not None
    with pytest.raises(ConflictError):
        purchasing.purchase_order_receive(number=po.number, quantities={_lines(po)["MUG-1"].pk: 1}, user=buyer)


def test_a_sent_po_keeps_its_lines(make_po, mug, jug, buyer):
    po = make_po({mug: 10})

    with pytest.raises(ConflictError, match="was sent"):
        purchasing.purchase_order_lines_set(
            number=po.number, lines=[purchasing.LineInput(product_id=jug.pk, quantity=1, unit_cost=0)], user=buyer
        )

    assert list(po.lines.values_list("product__sku", flat=True)) == ["MUG-1"]
