"""Posting a count books each counted line as a ``count`` movement of its variance, with who counted."""

import pytest

from inventory.counts import cycle_count_post, cycle_count_record
from inventory.models import CycleCount, StockItem
from oms.exceptions import ConflictError
from tests.factories import StaffFactory


def test_posting_books_the_variances_and_records_who_counted(shelf, sheet, line_of, counter, counts_of, settings):
    settings.OMS_STOCK_ARRIVED_TASKS = ["tests.stock_arrived_listener"]
    mug, cup = shelf("MUG-1", 10, "A-1"), shelf("CUP-1", 5, "A-2")
    shelf("PEN-1", 3, "A-3")
    count = sheet()
    cycle_count_record(
        cycle_count_id=count.pk, counts={line_of(count, mug).pk: 8, line_of(count, cup).pk: 7}, user=counter
    )
    supervisor = StaffFactory(role="manager", username="sam")

    posted = cycle_count_post(cycle_count_id=count.pk, user=supervisor)

    # two short mugs, two extra cups; the pen was not counted and is left alone
    assert {i.product.sku: i.on_hand for i in StockItem.objects.select_related("product")} == {
        "MUG-1": 8,
        "CUP-1": 7,
        "PEN-1": 3,
    }
    assert counts_of(count.number) == [
        ("CUP-1", 2, f"Cycle count {count.number}: counted 7, expected 5", "sam"),
        ("MUG-1", -2, f"Cycle count {count.number}: counted 8, expected 10", "sam"),
    ]
    posted = CycleCount.objects.get(pk=posted.pk)
    assert (posted.status, posted.counted_by, posted.posted_by) == ("posted", counter, supervisor)
    assert posted.posted_at is not None
    assert {line.stock_item.product.sku: line.variance for line in posted.lines.all()} == {
        "MUG-1": -2,
        "CUP-1": 2,
        "PEN-1": None,
    }
    # orders waiting for cups hear of the extra units
    from oms.models import OutboxMessage

    arrived = OutboxMessage.objects.filter(task_name="tests.stock_arrived_listener").order_by("-pk").first()
    assert arrived.kwargs == {"product_ids": [cup.product_id]}


def test_a_line_counted_right_is_booked_with_no_change(shelf, sheet, line_of, counter, counts_of):
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()

    cycle_count_post(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 10}, user=counter)

    assert counts_of(count.number) == [("MUG-1", 0, f"Cycle count {count.number}: counted 10, expected 10", "cora")]
    assert StockItem.objects.get(pk=mug.pk).on_hand == 10


def test_a_posted_count_cannot_be_posted_or_changed_again(shelf, sheet, line_of, counter):
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()
    cycle_count_post(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 9}, user=counter)

    with pytest.raises(ConflictError, match="is posted"):
        cycle_count_post(cycle_count_id=count.pk, user=counter)
    with pytest.raises(ConflictError, match="is posted"):
        cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 1}, user=counter)

    assert StockItem.objects.get(pk=mug.pk).on_hand == 9
