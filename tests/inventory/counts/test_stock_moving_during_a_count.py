"""Orders keep shipping while a count runs: the variance is taken against on hand when the count was entered,
so units that moved before or after counting are neither lost nor counted twice."""

from inventory.counts import cycle_count_post, cycle_count_record
from inventory.models import StockItem
from inventory.services import stock_adjust


def test_units_that_left_between_printing_and_counting(shelf, sheet, line_of, counter):
    # given a sheet printed with 10 mugs on the books
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()
    # when 3 leave before anyone counts, and the counter finds the 7 that are there
    stock_adjust(stock_item_id=mug.pk, delta=-3, reason="damaged")
    cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 7}, user=counter)
    cycle_count_post(cycle_count_id=count.pk, user=counter)

    # then nothing is corrected: the books were right
    line = line_of(count, mug)
    assert (line.expected_on_hand, line.on_hand_at_count, line.counted, line.variance) == (10, 7, 7, 0)
    assert StockItem.objects.get(pk=mug.pk).on_hand == 7


def test_units_that_arrived_between_counting_and_posting(shelf, sheet, line_of, counter):
    # given 10 mugs on the books and 9 found on the shelf
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()
    cycle_count_record(cycle_count_id=count.pk, counts={line_of(count, mug).pk: 9}, user=counter)
    # when 5 more are received before the count is posted
    stock_adjust(stock_item_id=mug.pk, delta=5, reason="PO 7")
    cycle_count_post(cycle_count_id=count.pk, user=counter)

    # then the one missing mug is written off and the 5 received stay booked
    assert line_of(count, mug).variance == -1
    assert StockItem.objects.get(pk=mug.pk).on_hand == 14
