"""Inventory report: stock value, days of cover from 30 days' sales, SKUs below reorder point, slow movers."""

from datetime import date
from decimal import Decimal

import pytest

from reporting.selectors.inventory import inventory_report
from reporting.services import rebuild
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory
from tests.reporting.records import at, order_row, window

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock():
    """MUG (10.00) 20 in A (2 reserved) and 10 in B; CAP (4.50) 6 in A; OLD (100.00) 3 in A, never sold."""
    a, b = WarehouseFactory(code="A"), WarehouseFactory(code="B")
    mug = ProductFactory(sku="MUG", price=Decimal("10.00"), reorder_point=5)
    cap = ProductFactory(sku="CAP", price=Decimal("4.50"), reorder_point=10)
    old = ProductFactory(sku="OLD", price=Decimal("100.00"), reorder_point=0)
    StockItemFactory(product=mug, warehouse=a, on_hand=20, reserved=2)
    StockItemFactory(product=mug, warehouse=b, on_hand=10)
    StockItemFactory(product=cap, warehouse=a, on_hand=6)
    StockItemFactory(product=old, warehouse=a, on_hand=3)
    # sold in the 30 days up to 31 March: 60 MUG, 3 CAP; a cancelled order and an older one do not count
    order_row(at(date(2026, 3, 5)), lines=[(mug, 40), (cap, 3)])
    order_row(at(date(2026, 3, 31), 23), lines=[(mug, 20)])
    order_row(at(date(2026, 3, 10)), lines=[(cap, 30)], status="cancelled")
    order_row(at(date(2026, 2, 20)), lines=[(mug, 100)])
    rebuild(date(2026, 2, 1), date(2026, 3, 31))
    return {"B": b}


def test_stock_value_is_on_hand_at_list_price_per_warehouse(stock):
    value = inventory_report(filters=window(date(2026, 3, 1), date(2026, 3, 31)))["value"]

    assert value["by_warehouse"] == [
        {"warehouse__code": "A", "units": 29, "value": Decimal("527.00")},
        {"warehouse__code": "B", "units": 10, "value": Decimal("100.00")},
    ]
    assert (value["units"], value["value"]) == (39, Decimal("627.00"))


def test_days_of_cover_reorder_and_slow_movers(stock):
    report = inventory_report(filters=window(date(2026, 3, 1), date(2026, 3, 31)))

    # MUG: 28 available / (60 / 30 a day) = 14 days; CAP: 6 / 0.1 = 60 days; OLD did not sell
    assert [(r["sku"], r["per_day"], r["days_of_cover"]) for r in report["cover"]] == [
        ("MUG", 2.0, 14.0),
        ("CAP", 0.1, 60.0),
    ]
    assert [r["sku"] for r in report["below_reorder"]] == ["CAP"]
    assert [(r["sku"], r["sold_30d"]) for r in report["slow_movers"]] == [("OLD", 0), ("CAP", 3), ("MUG", 60)]


def test_a_warehouse_narrows_the_stock(stock):
    report = inventory_report(filters=window(date(2026, 3, 1), date(2026, 3, 31), warehouse=stock["B"].pk))

    assert report["value"]["value"] == Decimal("100.00")
    assert [r["sku"] for r in report["slow_movers"]] == ["MUG"]
