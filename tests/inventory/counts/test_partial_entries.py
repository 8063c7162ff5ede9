"""Counts can be entered a few at a time; a line left out keeps its count, a cleared one is uncounted again."""

import pytest

from inventory.counts import cycle_count_post, cycle_count_record
from inventory.exceptions import InvalidStockChange
from inventory.services import stock_adjust


def test_counts_are_saved_a_few_at_a_time(shelf, sheet, line_of, counter):
    mug, cup, pen = shelf("MUG-1", 10, "A-1"), shelf("CUP-1", 5, "A-2"), shelf("PEN-1", 3, "A-3")
    count = sheet()

    cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 9}, user=counter)
    cycle_count_record(
        cycle_count_id=count.pk, counts={line_of(count, cup).pk: 5, line_of(count, pen).pk: 1}, user=counter
    )
    cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, pen).pk: None}, user=counter)

    assert [(line.stock_item.product.sku, line.counted) for line in count.lines.all()] == [
        ("MUG-1", 9),
        ("CUP-1", 5),
        ("PEN-1", None),
    ]
    assert line_of(count, pen).on_hand_at_count is None


def test_saving_an_unchanged_count_again_keeps_when_it_was_counted(shelf, sheet, line_of, counter):
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()
    cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 9}, user=counter)
    stock_adjust(stock_item_id=mug.pk, delta=-2, reason="shipped by hand")

    # the whole sheet is saved again with the same number
    cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 9}, user=counter)

    assert line_of(count, mug).on_hand_at_count == 10


def test_posting_with_nothing_counted_is_refused(shelf, sheet, counter):
    shelf("MUG-1", 10, "A-1")
    count = sheet()

    with pytest.raises(InvalidStockChange, match="Enter at least one counted quantity"):
        cycle_count_post(cycle_count_id=count.pk, user=counter)


@pytest.mark.parametrize("value", [-1, 1_000_001])
def test_an_impossible_count_is_refused_beside_its_line(shelf, sheet, line_of, counter, value):
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()
    line = line_of(count, mug)

    with pytest.raises(InvalidStockChange) as refused:
        cycle_count_record(cycle_count_id=count.pk, counts={line.pk: value}, user=counter)

    assert list(refused.value.fields) == [f"line_{line.pk}"]
    assert line_of(count, mug).counted is None
