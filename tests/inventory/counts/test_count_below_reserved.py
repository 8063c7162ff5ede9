"""A count that would leave fewer units on hand than are reserved for orders is refused, naming the SKU."""

import pytest

from inventory.counts import CountBelowReserved, cycle_count_post
from inventory.models import CycleCount, StockItem, StockMovement
from inventory.services import StockRequest, stock_reserve


def test_a_count_below_what_is_reserved_is_refused_and_nothing_is_posted(shelf, sheet, line_of, counter):
    mug, cup = shelf("MUG-1", 10, "A-1"), shelf("CUP-1", 10, "A-2")
    stock_reserve(requests=[StockRequest(key=1, product_id=mug.product_id, quantity=6)], reference="ORDER-1")
    count = sheet()
    movements = StockMovement.objects.count()

    with pytest.raises(CountBelowReserved) as refused:
        cycle_count_post(
            cycle_count_id=count.pk, counts={line_of(count, mug).pk: 4, line_of(count, cup).pk: 9}, user=counter
        )

    assert "MUG-1 (bin A-1): counted 4 would leave 4 on hand, fewer than the 6 reserved for orders" in str(
        refused.value
    )
    assert "CUP-1" not in str(refused.value)
    assert StockMovement.objects.count() == movements
    assert list(StockItem.objects.order_by("pk").values_list("on_hand", "reserved")) == [(10, 6), (10, 0)]
    refused_count = CycleCount.objects.get(pk=count.pk)
    assert refused_count.status == "open"
    # the counts entered with the refused post are not kept either: the whole post was one transaction
    assert [line.counted for line in refused_count.lines.all()] == [None, None]
