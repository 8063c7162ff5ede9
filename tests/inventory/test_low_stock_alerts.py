"""The low-stock alert: one email when a fall of available stock (on hand − reserved) leaves a stock row at or
below its product's reorder point, whatever made it fall; none again until it has been back above the point.
The low-stock page lists a row exactly when the alert's rule says it is low."""

import pytest

from inventory.counts import cycle_count_create, cycle_count_post
from inventory.models import StockMovement
from inventory.selectors import stock_item_list_low
from inventory.services import StockRequest, stock_adjust, stock_reserve
from inventory.transfers import transfer_create, transfer_pick
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

REORDER_POINT = 5


def _reserve(item, units):
    stock_reserve(requests=[StockRequest(key=1, product_id=item.product_id, quantity=units)], reference="ORDER-1")


def _adjust(item, units):
    stock_adjust(stock_item_id=item.pk, delta=-units, reason="damaged in the aisle")


def _write_off(item, units):
    stock_adjust(stock_item_id=item.pk, delta=-units, reason="expired", kind=StockMovement.Kind.WRITE_OFF)


def _transfer_pick(item, units):
    other = WarehouseFactory(code="OTHER")
    transfer = transfer_create(
        from_warehouse_id=item.warehouse_id, to_warehouse_id=other.pk, lines=[(item.product_id, units)]
    )
    transfer_pick(transfer_id=transfer.pk)


def _count(item, units):
    item.refresh_from_db()
    count = cycle_count_create(warehouse_id=item.warehouse_id)
    cycle_count_post(cycle_count_id=count.pk, counts={count.lines.get(stock_item=item).pk: item.on_hand - units})


DECREASES = {
    "reservation": _reserve,
    "adjustment": _adjust,
    "write-off": _write_off,
    "transfer pick": _transfer_pick,
    "count": _count,
}


@pytest.fixture
def item(db):
    """Eight units of a product whose reorder point is five, in warehouse MAIN."""
    product = ProductFactory(sku="MUG-1", reorder_point=REORDER_POINT)
    return StockItemFactory(product=product, warehouse=WarehouseFactory(code="MAIN"), on_hand=8, bin_location="A-1")


@pytest.fixture
def alerts(mailoutbox):
    return lambda: [m.subject for m in mailoutbox]


@pytest.mark.parametrize("decrease", DECREASES.values(), ids=DECREASES.keys())
def test_each_kind_of_fall_alerts_once_per_dip(item, commit, alerts, decrease):
    # a fall that stays above the point says nothing
    with commit():
        decrease(item, 2)
    assert alerts() == []

    # a fall to the point itself alerts (at or below)
    with commit():
        decrease(item, 1)
    assert alerts() == ["Low stock: MUG-1 at MAIN"]

    # falling further in the same dip does not alert again
    with commit():
        decrease(item, 2)
    assert alerts() == ["Low stock: MUG-1 at MAIN"]

    # back above the point re-arms the alert, silently
    with commit():
        stock_adjust(stock_item_id=item.pk, delta=10, reason="PO 4711")
    assert alerts() == ["Low stock: MUG-1 at MAIN"]

    # and the next dip alerts once more
    with commit():
        decrease(item, 8)
    assert alerts() == ["Low stock: MUG-1 at MAIN", "Low stock: MUG-1 at MAIN"]


def test_a_rise_that_stays_low_neither_alerts_nor_re_arms(item, commit, alerts):
    with commit():
        _adjust(item, 6)  # 2 left: alerted
        stock_adjust(stock_item_id=item.pk, delta=3, reason="found in returns")  # 5: still at the point
        _adjust(item, 1)  # 4: the same dip
    assert alerts() == ["Low stock: MUG-1 at MAIN"]


def test_stock_that_arrives_low_does_not_alert(db, commit, alerts):
    product = ProductFactory(sku="CUP-1", reorder_point=REORDER_POINT)
    item = StockItemFactory(product=product, warehouse=WarehouseFactory(code="MAIN"), on_hand=0)

    with commit():
        stock_adjust(stock_item_id=item.pk, delta=3, reason="PO 1")

    assert alerts() == []


@pytest.mark.parametrize(("units_left", "low"), [(6, False), (5, True), (4, True)])
def test_the_page_and_the_alert_agree_on_the_boundary(item, commit, alerts, units_left, low):
    with commit():
        _reserve(item, 8 - units_left)

    assert bool(alerts()) == low
    assert list(stock_item_list_low().values_list("pk", flat=True)) == ([item.pk] if low else [])
