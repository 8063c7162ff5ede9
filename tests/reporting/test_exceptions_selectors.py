"""Exceptions report: holds by reason with time to release, declines, carrier exceptions, stock-outs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from orders.models import Order
from payments.models import GatewayTransaction, Payment
from reporting.selectors.exceptions import exceptions_report
from shipping.models import Shipment, TrackingEvent
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory
from tests.reporting.records import at, event, order_row, window

pytestmark = pytest.mark.django_db
MAR = [date(2026, 3, d) for d in range(1, 32)]


def held(order, moment, reason: str, *, released=None):
    """The timeline of a hold (and its release); the reporting app records its reason from the order."""
    Order.objects.filter(pk=order.pk).update(hold_reason=reason)
    order.hold_reason = reason
    event(order, moment, "on_hold", from_status="confirmed", note="Held")
    if released:
        event(order, released, "confirmed", from_status="on_hold", actor="alice", note="Released")


@pytest.fixture
def week():
    """Orders of 1–7 March with holds of every kind; one order and its hold fall before the window."""
    mug = ProductFactory(sku="MUG", name="Mug")
    cap = ProductFactory(sku="CAP", name="Cap")
    StockItemFactory(product=mug, on_hand=3, reserved=2)  # 1 available of the 2 wanted: short
    StockItemFactory(product=cap, on_hand=5)  # in stock: the held order waits for the mug only
    o1 = order_row(at(MAR[1], 10))
    held(o1, at(MAR[1], 10), "out_of_stock", released=at(MAR[1], 14))
    o2 = order_row(at(MAR[2], 9), status="on_hold")
    held(o2, at(MAR[2], 12), "fraud_review")
    o3 = order_row(at(MAR[3], 8))
    held(o3, at(MAR[3], 9), "payment_failed", released=at(MAR[3], 19))
    order_row(at(MAR[4], 8), channel="phone")  # never held
    o6 = order_row(at(MAR[5], 8), status="on_hold", lines=[(mug, 2), (cap, 1)])
    held(o6, at(MAR[5], 8), "out_of_stock")
    early = order_row(at(date(2026, 2, 27)))
    held(early, at(date(2026, 2, 27)), "out_of_stock")
    return {"o1": o1, "o3": o3}


def test_hold_rate_and_holds_by_reason_with_time_to_release(week):
    # when
    holds = exceptions_report(filters=window(MAR[0], MAR[6]))["holds"]

    # then 4 of the 5 orders placed in the window were held
    assert (holds["orders"], holds["held"], holds["rate"]) == (5, 4, 0.8)
    assert [(r["reason"], r["holds"], r["released"], r["median_hours"]) for r in holds["by_reason"]] == [
        ("out_of_stock", 2, 1, 4.0),
        ("payment_failed", 1, 1, 10.0),
        ("fraud_review", 1, 0, None),
    ]


def test_a_channel_narrows_the_holds(week):
    holds = exceptions_report(filters=window(MAR[0], MAR[6], channel="phone"))["holds"]

    assert (holds["orders"], holds["held"], holds["rate"], holds["by_reason"]) == (1, 0, 0.0, [])


def test_stock_outs_are_the_skus_held_orders_wait_for(week):
    assert exceptions_report(filters=window(MAR[0], MAR[6]))["stock_outs"] == [
        {"sku": "MUG", "name": "Mug", "orders": 1, "units": 2, "available": 1}
    ]


def test_payment_declines_by_code_and_carrier_exceptions_in_the_window(week):
    # given two declines in the window and one before it, and a parcel with two exception scans
    payment = Payment.objects.create(order=week["o3"], method="card", currency="EUR", amount=Decimal("10.00"))
    for key, code, moment in [
        ("a", "card_declined", MAR[2]),
        ("b", "card_declined", MAR[3]),
        ("c", "expired", MAR[20]),
    ]:
        tx = GatewayTransaction.objects.create(
            payment=payment, kind="authorize", outcome="declined", idempotency_key=key, amount=10, error_code=code
        )
        GatewayTransaction.objects.filter(pk=tx.pk).update(created_at=at(moment))
    parcel = Shipment.objects.create(order=week["o1"], warehouse=WarehouseFactory(), carrier="dhl", service="std")
    for n in range(2):
        TrackingEvent.objects.create(
            shipment=parcel, event_id=f"e{n}", status="exception", occurred_at=at(MAR[4]) + timedelta(hours=n)
        )

    # when
    report = exceptions_report(filters=window(MAR[0], MAR[6]))

    # then
    assert report["declines"] == [
        {"error_code": "card_declined", "declines": 2, "orders": 1, "amount": Decimal("20.00")}
    ]
    assert report["carrier_exceptions"] == [{"shipment__carrier": "dhl", "exceptions": 2, "parcels": 1}]


def test_an_empty_range_reads_zero(db):
    report = exceptions_report(filters=window(MAR[0], MAR[6]))

    assert report["holds"] == {"orders": 0, "held": 0, "rate": None, "by_reason": []}
    assert (report["declines"], report["carrier_exceptions"], report["stock_outs"]) == ([], [], [])
    assert (report["returns"], report["qc_failures"]) == ([], [])
