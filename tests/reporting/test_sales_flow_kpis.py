"""Summary KPIs against hand-computed figures on small fixed data in a shop time zone behind UTC.

Shop time zone America/New_York (UTC-5 in January). D = 2026-01-10; the range is D..D+1.

| order | placed (shop time) | status    | total | units | confirmed | shipped (promised) | delivered |
| o1    | D 00:30            | delivered | 100   | 2     | +2 h      | D+1 10:00 (D+1)    | D+3 12:00 |
| o2    | D 23:30 (UTC: D+1) | shipped   | 50    | 1     | +4 h      | D+1 23:00 (D)      |           |
| o3    | D-1 23:59 (UTC: D) | confirmed | 70    | 1     |           |                    |           |  outside
| o4    | D+1 10:00          | cancelled | 30    | 3     |           |                    |           |
| o5    | D+1 11:00          | on_hold   | 20    | 1     |           |                    |           |  payment_failed
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from orders.models import Feedback
from reporting import services
from reporting.selectors.flow import cycle_times, on_time_rates, percentile, stuck_orders
from reporting.selectors.sales import (
    cancellations_by_reason,
    revenue_by_channel,
    sales_comparison,
    timeseries,
    top_customers,
    top_products,
)
from reporting.selectors.summary import report_summary
from tests.factories import ProductFactory
from tests.reporting.records import at, event, order_row, window

D = date(2026, 1, 10)
D1 = D + timedelta(days=1)


@pytest.fixture
def shop(db, settings):
    settings.OMS_REPORT_TIME_ZONE = "America/New_York"
    mug = ProductFactory(sku="MUG", name="Mug", price=Decimal("25.00"))
    cap = ProductFactory(sku="CAP", name="Cap", price=Decimal("10.00"))
    o1 = order_row(
        at(D, 0, 30),
        status="delivered",
        total="100.00",
        lines=[(mug, 2)],
        shipped_at=at(D1, 10),
        promised_ship_date=D1,
        delivered_at=at(D + timedelta(days=3), 12),
        channel="phone",
    )
    event(o1, at(D, 2, 30), "confirmed")
    o2 = order_row(at(D, 23, 30), status="shipped", total="50.00", lines=[(cap, 1)], shipped_at=at(D1, 23))
    o2.promised_ship_date = D
    o2.save(update_fields=["promised_ship_date"])
    event(o2, at(D1, 3, 30), "confirmed")
    order_row(at(D - timedelta(days=1), 23, 59), total="70.00", lines=[(cap, 1)])
    o4 = order_row(at(D1, 10), status="cancelled", total="30.00", lines=[(cap, 3)], cancelled_at=at(D1, 11))
    event(o4, at(D1, 11), "cancelled", note="Customer changed their mind")
    o5 = order_row(at(D1, 11), status="on_hold", total="20.00", lines=[(cap, 1)], hold_reason="payment_failed")
    event(o5, at(D1, 11, 5), "on_hold", from_status="paid")
    feedback = Feedback.objects.create(order=o1, rating=4)
    Feedback.objects.filter(pk=feedback.pk).update(created_at=at(D1, 15))
    services.rebuild(D - timedelta(days=3), D + timedelta(days=5))
    return {"o1": o1, "o2": o2, "o4": o4, "o5": o5}


def test_summary_matches_the_hand_computed_figures(shop):
    summary = report_summary(window(D, D1))

    assert summary == {
        "from": D,
        "to": D1,
        "orders": 4,
        "units": 4,
        "revenue": Decimal("170.00"),
        "average_order_value": Decimal("56.67"),
        "cancelled": 1,
        "on_time_ship_rate": 0.5,
        "cycle_time_hours": {
            "placed_to_confirmed": {"p50": 3.0, "p90": 3.8},
            "confirmed_to_shipped": {"p50": 25.5, "p90": 30.3},
            "shipped_to_delivered": {"p50": 50.0, "p90": 50.0},
            "placed_to_delivered": {"p50": 83.5, "p90": 83.5},
        },
        "holds_by_reason": {"payment_failed": 1},
        "csat": {"average": 4.0, "responses": 1},
    }


def test_the_order_placed_late_on_the_previous_shop_day_counts_there(shop):
    summary = report_summary(window(D - timedelta(days=1), D - timedelta(days=1)))

    assert (summary["orders"], summary["revenue"]) == (1, Decimal("70.00"))


def test_sales_breakdowns(shop):
    filters = window(D, D1)

    assert cancellations_by_reason(filters) == [
        {"reason": "Customer changed their mind", "orders": 1, "value": Decimal("30.00")}
    ]
    assert [(r["channel"], r["orders"], r["revenue"]) for r in revenue_by_channel(filters)] == [
        ("phone", 1, Decimal("100.00")),
        ("web", 3, Decimal("70.00")),
    ]
    assert [(p["sku"], p["units"], p["revenue"]) for p in top_products(filters)] == [
        ("MUG", 2, Decimal("50.00")),
        ("CAP", 2, Decimal("20.00")),
    ]
    assert [(p["sku"], p["units"]) for p in top_products(window(D, D1, channel="web"))] == [("CAP", 2)]
    assert [c["revenue"] for c in top_customers(filters)] == [Decimal("100.00"), Decimal("50.00"), Decimal("20.00")]


def test_comparison_with_the_previous_period(shop):
    comparison = sales_comparison(window(D + timedelta(days=2), D + timedelta(days=3)))

    assert comparison["previous"]["orders"] == 4
    assert comparison["current"]["orders"] == 0
    assert comparison["change"]["orders"] == -1.0


def test_timeseries_has_every_period(shop):
    assert timeseries(window(D - timedelta(days=1), D1), metric="orders", interval="day") == [
        {"period": D - timedelta(days=1), "value": 1},
        {"period": D, "value": 2},
        {"period": D1, "value": 2},
    ]
    weekly = timeseries(window(D, D + timedelta(days=9)), metric="revenue", interval="week")
    assert weekly == [
        {"period": date(2026, 1, 5), "value": Decimal("170.00")},
        {"period": date(2026, 1, 12), "value": Decimal("0.00")},
        {"period": date(2026, 1, 19), "value": Decimal("0.00")},
    ]


def test_an_empty_range_reads_zeros_and_nulls(shop):
    summary = report_summary(window(date(2025, 6, 1), date(2025, 6, 30)))

    assert (summary["orders"], summary["revenue"], summary["average_order_value"]) == (0, Decimal("0.00"), None)
    assert summary["on_time_ship_rate"] is None
    assert summary["cycle_time_hours"]["placed_to_confirmed"] == {"p50": None, "p90": None}
    assert summary["holds_by_reason"] == {}
    assert summary["csat"] == {"average": None, "responses": 0}


def test_on_time_delivery_and_stuck_orders(shop):
    assert on_time_rates(window(D, D + timedelta(days=3)))["delivery"] == {"rate": None, "on_time": 0, "total": 0}
    stages = {row["stage"]: row for row in stuck_orders(now=at(D + timedelta(days=2), 11, 5))}

    assert stages["on_hold"]["orders"] == 1
    assert stages["on_hold"]["ageing"] == {"under_1d": 0, "1_to_3d": 1, "3_to_7d": 0, "over_7d": 0}
    assert stages["shipped"]["orders"] == 1


def test_percentile_fallback_interpolates_like_postgresql():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0], 0.9) == 10.0
    assert percentile([], 0.5) is None
    assert cycle_times  # the SQL path is what the tests above run on PostgreSQL
