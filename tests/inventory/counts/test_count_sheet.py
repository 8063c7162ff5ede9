"""A count sheet lists the warehouse's stock rows in the bin range, sorted by bin, with their on hand then."""

import pytest

from inventory.counts import cycle_count_cancel, cycle_count_create
from inventory.exceptions import InvalidStockChange
from inventory.models import CycleCount
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def rows(shelf, main):
    shelf("MUG-1", 5, "B-02")
    shelf("CUP-1", 7, "A-01")
    shelf("PEN-1", 2, "A-09-3")
    shelf("INK-1", 4, "A-10")
    StockItemFactory(product=ProductFactory(sku="NOBIN-1"), warehouse=main, on_hand=1, bin_location="")
    StockItemFactory(product=ProductFactory(sku="ELSEWHERE-1"), warehouse=WarehouseFactory(code="WEST"), on_hand=9)


def _listed(count: CycleCount):
    return [(line.bin_location, line.stock_item.product.sku, line.expected_on_hand) for line in count.lines.all()]


def test_the_whole_warehouse_sorted_by_bin(rows, sheet):
    count = sheet()

    assert count.number.startswith("CC-")
    assert _listed(count) == [
        ("", "NOBIN-1", 1),
        ("A-01", "CUP-1", 7),
        ("A-09-3", "PEN-1", 2),
        ("A-10", "INK-1", 4),
        ("B-02", "MUG-1", 5),
    ]


def test_a_bin_range_is_inclusive_and_takes_the_bins_under_its_end(rows, sheet):
    count = sheet("A-01", "A-09")

    assert _listed(count) == [("A-01", "CUP-1", 7), ("A-09-3", "PEN-1", 2)]
    assert count.bin_range == "bins A-01 to A-09"


@pytest.mark.parametrize(
    ("bin_from", "bin_to", "field", "message"),
    [
        ("C-01", "C-99", "bin_from", "MAIN has no stock rows in bins C-01 to C-99."),
        ("B-01", "A-01", "bin_to", "The range ends before it starts: A-01 sorts before B-01."),
    ],
)
def test_an_empty_or_backward_range_is_refused(rows, sheet, bin_from, bin_to, field, message):
    with pytest.raises(InvalidStockChange) as refused:
        sheet(bin_from, bin_to)

    assert refused.value.fields == {field: [message]}
    assert not CycleCount.objects.exists()


def test_a_stock_row_is_on_one_open_sheet_at_a_time(rows, sheet, main):
    first = sheet("A-01", "A-09")

    with pytest.raises(InvalidStockChange, match=rf"Already on an open count: CUP-1 \(bin A-01, {first.number}\)"):
        sheet("A-00", "A-01")
    assert CycleCount.objects.count() == 1

    # other bins are free, and once the first sheet is cancelled its rows are too
    sheet("B-01", "B-99")
    cycle_count_cancel(cycle_count_id=first.pk)
    assert cycle_count_create(warehouse_id=main.pk, bin_from="A-01", bin_to="A-01").lines.count() == 1
