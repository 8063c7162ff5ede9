"""Reorder suggestions from fixed data: sales read from the ledger's ship movements at chosen dates, stock,
open purchase orders, lead time, review period and safety days give exact numbers (formula in inventory.reorder)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory import purchasing, reorder
from inventory.models import StockMovement
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory


def _shipped(item, quantity: int, days_ago: int, kind=StockMovement.Kind.SHIP):
    movement = StockMovement.objects.create(
        stock_item=item, kind=kind, on_hand_delta=-quantity, reserved_delta=-quantity, reference="ORDER"
    )
    StockMovement.objects.filter(pk=movement.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def shop(settings, supplier, make_po, buyer):
    settings.OMS_SAFETY_STOCK_DAYS = 7
    settings.OMS_REORDER_REVIEW_DAYS = 14
    settings.OMS_DEFAULT_LEAD_TIME_DAYS = 20
    main = WarehouseFactory(code="MAIN", priority=1)
    closed = WarehouseFactory(code="OLD", is_active=False)
    # Mug: 30 sold in the last 30 days, 45 in 90 → 1.00 a day; 14 on hand, 4 reserved, 5 on order.
    mug = ProductFactory(sku="MUG-1", reorder_point=5, supplier=supplier)
    mug_main = StockItemFactory(product=mug, warehouse=main, on_hand=14, reserved=4)
    _shipped(mug_main, 30, days_ago=10)
    _shipped(mug_main, 15, days_ago=60)
    _shipped(mug_main, 90, days_ago=100)  # outside both windows
    _shipped(mug_main, 50, days_ago=5, kind=StockMovement.Kind.WRITE_OFF)  # not a sale
    make_po({mug: 5}, warehouse=main)
    cancelled = make_po({mug: 100}, warehouse=main)
    purchasing.purchase_order_cancel(number=cancelled.number, user=buyer)
    StockItemFactory(product=mug, warehouse=closed, on_hand=0)  # an inactive warehouse: never suggested
    # Jug: 3 in 30 days, 27 in 90 → 0.30 a day (the quarter's rate); 3 safety days of its own; 2 available.
    jug = ProductFactory(sku="JUG-1", reorder_point=5, supplier=supplier, safety_stock_days=3)
    jug_main = StockItemFactory(product=jug, warehouse=main, on_hand=2)
    _shipped(jug_main, 3, days_ago=29)
    _shipped(jug_main, 24, days_ago=80)
    # Bowl: no sales, 3 on hand, below its reorder point of 5, no supplier (default lead time).
    bowl = ProductFactory(sku="BOWL-1", reorder_point=5)
    StockItemFactory(product=bowl, warehouse=main, on_hand=3)
    # Plate: sells 1 a day but has 100: nothing to order.
    plate = ProductFactory(sku="PLATE-1", reorder_point=5, supplier=supplier)
    _shipped(StockItemFactory(product=plate, warehouse=main, on_hand=100), 30, days_ago=1)
    return main


def test_suggestions_with_exact_numbers(shop, supplier):
    due = {s.product.sku: s for s in reorder.reorder_suggestions_due()}

    assert sorted(due) == ["BOWL-1", "JUG-1", "MUG-1"]
    mug, jug, bowl = due["MUG-1"], due["JUG-1"], due["BOWL-1"]
    # Mug: 10 + 5 on order = 15 ≤ 1 × (10 lead + 7 safety) → order up to 1 × (10 + 14 + 7) = 31: 16 more.
    assert (mug.sold_30, mug.sold_90, mug.velocity_30, mug.velocity_90) == (30, 45, Decimal("1.00"), Decimal("0.50"))
    assert (mug.available, mug.on_order, mug.days_of_cover, mug.lead_time_days, mug.safety_stock) == (
        10,
        5,
        Decimal("10.0"),
        10,
        7,
    )
    assert (mug.target, mug.suggested, mug.supplier, mug.warehouse.code) == (31, 16, supplier, "MAIN")
    # Jug: 0.3 a day; 2 ≤ 0.3 × (10 + 3); target ⌈0.3 × (10 + 14 + 3)⌉ = ⌈8.1⌉ = 9: 7 more.
    assert (jug.sold_30, jug.sold_90, jug.velocity_30, jug.velocity_90) == (3, 27, Decimal("0.10"), Decimal("0.30"))
    assert (jug.days_of_cover, jug.safety_stock, jug.target, jug.suggested) == (Decimal("6.7"), 1, 9, 7)
    # Bowl: nothing sold, but 3 is at or below its reorder point 5: up to 6.
    assert (bowl.velocity, bowl.days_of_cover, bowl.lead_time_days, bowl.target, bowl.suggested) == (0, None, 20, 6, 3)


def test_grouped_by_supplier_products_without_one_last(shop, supplier):
    groups = reorder.reorder_suggestions_by_supplier()

    assert [(s, [row.product.sku for row in rows]) for s, rows in groups] == [
        (supplier, ["JUG-1", "MUG-1"]),
        (None, ["BOWL-1"]),
    ]


def test_what_is_on_order_counts_so_drafting_twice_suggests_nothing_more(shop, buyer):
    drafts = reorder.reorder_drafts_create(user=buyer)

    assert len(drafts) == 1
    assert {s.product.sku for s in reorder.reorder_suggestions_due()} == {"BOWL-1"}  # no supplier: not drafted
