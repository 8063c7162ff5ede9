"""Cancelling a transfer before it ships gives a picked reservation back; after shipping it cannot be cancelled."""

import pytest

from inventory.models import StockMovement, Transfer
from inventory.transfers import transfer_cancel, transfer_pick, transfer_ship
from oms.exceptions import ConflictError


def test_cancelling_a_picked_transfer_releases_the_units(clerk, stocked, draft, east, stock, ledger, arrivals):
    mug = stocked("MUG-1", 10)
    transfer = draft({mug: 7})
    transfer_pick(transfer_id=transfer.pk, user=clerk)
    queued = len(arrivals())

    transfer_cancel(transfer_id=transfer.pk, user=clerk)

    assert stock(mug, east) == (10, 0)
    assert ledger(transfer.number) == [
        ("EAST", "transfer_pick", 0, 7, "walt"),
        ("EAST", "transfer_release", 0, -7, "walt"),
    ]
    assert Transfer.objects.get(pk=transfer.pk).status == "cancelled"
    assert arrivals()[queued:] == [[mug.pk]]


def test_cancelling_a_draft_moves_nothing(clerk, stocked, draft, east, stock, ledger):
    mug = stocked("MUG-1", 10)
    transfer = draft({mug: 7})

    transfer_cancel(transfer_id=transfer.pk, user=clerk)

    assert stock(mug, east) == (10, 0)
    assert ledger(transfer.number) == []
    assert Transfer.objects.get(pk=transfer.pk).cancelled_at is not None


def test_a_shipped_transfer_cannot_be_cancelled(clerk, stocked, draft, east, stock):
    mug = stocked("MUG-1", 10)
    transfer = draft({mug: 7})
    transfer_pick(transfer_id=transfer.pk, user=clerk)
    transfer_ship(transfer_id=transfer.pk, user=clerk)
    before = StockMovement.objects.count()

    with pytest.raises(ConflictError, match="is in transit: only a draft or picked transfer can be cancelled"):
        transfer_cancel(transfer_id=transfer.pk, user=clerk)

    assert StockMovement.objects.count() == before
    assert stock(mug, east) == (3, 0)
    assert Transfer.objects.get(pk=transfer.pk).status == "shipped"
