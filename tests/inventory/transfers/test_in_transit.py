"""In transit: the units of shipped transfers not yet received, per SKU."""

from inventory.selectors import product_in_transit_total, transfer_lines_in_transit
from inventory.transfers import transfer_pick, transfer_receive, transfer_ship
from tests.factories import WarehouseFactory


def _ship(transfer, user):
    transfer_pick(transfer_id=transfer.pk, user=user)
    transfer_ship(transfer_id=transfer.pk, user=user)


def test_in_transit_counts_shipped_transfers_until_received(clerk, stocked, draft, east):
    mug, cup = stocked("MUG-1", 20), stocked("CUP-1", 20)
    first, second, picked_only = draft({mug: 3, cup: 1}), draft({mug: 5}), draft({mug: 2})
    _ship(first, clerk)
    _ship(second, clerk)
    transfer_pick(transfer_id=picked_only.pk, user=clerk)

    # two shipped transfers carry mugs; a picked one has not left yet
    assert product_in_transit_total(product_id=mug.pk) == 8
    assert product_in_transit_total(product_id=cup.pk) == 1
    assert [(line.transfer.number, line.quantity) for line in transfer_lines_in_transit(product_id=mug.pk)] == [
        (first.number, 3),
        (second.number, 5),
    ]

    # once one is received (even short), its units are no longer in transit
    transfer_receive(transfer_id=first.pk, quantities={first.lines.get(product=mug).pk: 2}, user=clerk)
    assert product_in_transit_total(product_id=mug.pk) == 5
    assert product_in_transit_total(product_id=cup.pk) == 0


def test_in_transit_shows_on_the_sku_page(staff_client, clerk, stocked, draft):
    mug = stocked("MUG-1", 20)
    transfer = draft({mug: 6})
    _ship(transfer, clerk)
    WarehouseFactory(code="OTHER")

    page = staff_client("warehouse").get("/dashboard/inventory/sku/MUG-1/")

    assert 'In transit <span class="muted">6 units</span>' in page.text
    assert f'href="/dashboard/inventory/transfers/{transfer.number}/"' in page.text


def test_the_stock_list_shows_what_is_in_transit_to_each_row(staff_client, clerk, stocked, draft, west):
    from tests.factories import StockItemFactory

    mug = stocked("MUG-1", 20)
    StockItemFactory(product=mug, warehouse=west, on_hand=1, bin_location="W-1")
    _ship(draft({mug: 7}), clerk)

    page = staff_client("warehouse").get("/dashboard/inventory/?q=MUG-1")

    rows = {row.warehouse.code: row.in_transit for row in page.context["page_obj"]}
    assert rows == {"EAST": 0, "WEST": 7}
    assert "In transit here" in page.text
