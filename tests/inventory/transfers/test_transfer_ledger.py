"""A transfer end to end: the ledger on both sides names the transfer, and the stock rows follow each step."""

from inventory.models import StockItem
from inventory.transfers import transfer_pick, transfer_receive, transfer_ship


def test_pick_ship_receive_move_the_units_through_the_ledger(
    east, west, clerk, stocked, draft, stock, ledger, arrivals
):
    # given 10 mugs in EAST, none stocked in WEST, and a draft transfer of 4
    mug = stocked("MUG-1", 10)
    transfer = draft({mug: 4})
    assert transfer.number.startswith("TR-") and len(transfer.number) == len("TR-2026-000001")

    # when it is picked: reserved at the source, no longer available to orders
    transfer_pick(transfer_id=transfer.pk, user=clerk)
    assert stock(mug, east) == (10, 4)

    # when it ships: gone from the source
    transfer_ship(transfer_id=transfer.pk, user=clerk)
    assert stock(mug, east) == (6, 0)
    assert stock(mug, west) is None

    # when it is received: on hand at the destination, on a row made for it
    queued = len(arrivals())
    transfer_receive(transfer_id=transfer.pk, user=clerk)
    assert stock(mug, west) == (4, 0)

    # then both sides of the ledger name the transfer
    assert ledger(transfer.number) == [
        ("EAST", "transfer_pick", 0, 4, "walt"),
        ("EAST", "transfer_out", -4, -4, "walt"),
        ("WEST", "transfer_in", 4, 0, "walt"),
    ]
    # and orders waiting for mugs hear of the arrival
    assert arrivals()[queued:] == [[mug.pk]]
    assert StockItem.objects.get(product=mug, warehouse=west).movements.get().reason == "Received from EAST"


def test_transfer_numbers_follow_each_other(draft, stocked):
    mug = stocked("MUG-1", 10)

    first, second = draft({mug: 1}), draft({mug: 2})

    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1
    assert first.number[3:7] == second.number[3:7]
