"""A short receipt: fewer units arrive than left; the difference stays recorded on the transfer."""

import pytest

from inventory.exceptions import InvalidStockChange
from inventory.models import StockMovement, Transfer
from inventory.transfers import transfer_pick, transfer_receive, transfer_ship


@pytest.fixture
def in_transit(clerk, stocked, draft):
    mug, cup = stocked("MUG-1", 10), stocked("CUP-1", 10)
    transfer = draft({mug: 6, cup: 2})
    transfer_pick(transfer_id=transfer.pk, user=clerk)
    transfer_ship(transfer_id=transfer.pk, user=clerk)
    return transfer, mug, cup


def test_short_receipt_books_what_came_and_records_the_rest(in_transit, clerk, west, stock, ledger):
    transfer, mug, cup = in_transit
    mug_line = transfer.lines.get(product=mug)

    transfer_receive(transfer_id=transfer.pk, quantities={mug_line.pk: 4}, user=clerk)

    # the mugs came 2 short; the cups, left out, came in full
    assert stock(mug, west) == (4, 0)
    assert stock(cup, west) == (2, 0)
    received = Transfer.objects.get(pk=transfer.pk)
    assert received.status == "received"
    assert {line.product.sku: (line.quantity_received, line.quantity_short) for line in received.lines.all()} == {
        "MUG-1": (4, 2),
        "CUP-1": (2, 0),
    }
    assert [m for m in ledger(transfer.number) if m[1] == "transfer_in"] == [
        ("WEST", "transfer_in", 4, 0, "walt"),
        ("WEST", "transfer_in", 2, 0, "walt"),
    ]
    reasons = set(StockMovement.objects.filter(kind="transfer_in").values_list("reason", flat=True))
    assert reasons == {"Received from EAST, 2 of 6 missing", "Received from EAST"}


def test_nothing_arrived_of_a_line_writes_no_row_for_it(in_transit, clerk, west, stock):
    transfer, mug, cup = in_transit

    transfer_receive(transfer_id=transfer.pk, quantities={transfer.lines.get(product=cup).pk: 0}, user=clerk)

    assert stock(cup, west) is None
    assert stock(mug, west) == (6, 0)


@pytest.mark.parametrize("units", [-1, 7])
def test_more_than_shipped_or_negative_is_refused_and_writes_nothing(in_transit, clerk, units, stock, west):
    transfer, mug, _ = in_transit
    before = StockMovement.objects.count()

    with pytest.raises(InvalidStockChange, match="MUG-1: between 0 and the 6 shipped"):
        transfer_receive(transfer_id=transfer.pk, quantities={transfer.lines.get(product=mug).pk: units}, user=clerk)

    assert StockMovement.objects.count() == before
    assert stock(mug, west) is None
    assert Transfer.objects.get(pk=transfer.pk).status == "shipped"
