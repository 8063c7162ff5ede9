"""Totals come from the server: catalog prices, the method's flat fee + per kg, tax by destination."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from orders.models import Order
from tests.factories import TaxRateFactory

# Two mugs at 12.50, 0.4 kg each: 25.00 and 0.8 kg.
SUBTOTAL = Decimal("25.00")


def place(api, body):
    response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize(
    ("method", "shipping"),
    [("standard", "5.35"), ("express", "15.75")],  # 4.95 + 0.50/kg and 14.95 + 1.00/kg, for 0.8 kg
)
def test_shipping_is_the_flat_fee_plus_the_weight_rate(method, shipping, api, mug, order_body):
    # given
    order_body["shipping_method"] = method

    # when
    order = place(api, order_body)

    # then
    assert (order["subtotal"], order["shipping_total"], order["tax_total"]) == ("25.00", shipping, "0.00")
    assert order["total"] == str(SUBTOTAL + Decimal(shipping))
    assert order["lines"] == [
        {
            "sku": "MUG-1",
            "name": "Mug",
            "quantity": 2,
            "unit_price": "12.50",
            "line_total": "25.00",
            "quantity_shipped": 0,
            "quantity_backordered": 0,
        }
    ]


def test_tax_follows_the_destination_country(api, mug, order_body):
    # given
    TaxRateFactory(country="DE", rate=Decimal("0.1900"))

    # when
    order = place(api, order_body)

    # then (25.00 + 5.35) × 19% = 5.7665, rounded half up
    assert (order["tax_total"], order["total"]) == ("5.77", "36.12")
    assert Order.objects.get(number=order["number"]).tax_rate == Decimal("0.1900")


def test_no_tax_where_the_destination_has_no_rate(api, mug, order_body):
    # given a rate for another country only
    TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    order_body["shipping_address"].update(city="Denver", region="CO", postal_code="80202", country="us")

    # when
    order = place(api, order_body)

    # then
    assert (order["tax_total"], order["total"]) == ("0.00", "30.35")
    assert order["shipping_address"]["country"] == "US"


def test_prices_and_status_sent_by_the_client_are_ignored(api, mug, order_body):
    # given a client that tries to set its own prices, totals, currency and status
    order_body["lines"][0].update(unit_price="0.01", price="0.01", line_total="0.02")
    order_body.update(
        status="completed",
        subtotal="0.01",
        shipping_total="0",
        tax_total="0",
        total="0.01",
        currency="EUR",
        number="MYOWN123",
    )

    # when
    order = place(api, order_body)

    # then
    assert order["lines"][0]["unit_price"] == "12.50"
    assert (order["subtotal"], order["total"], order["currency"]) == ("25.00", "30.35", "USD")
    assert order["status"] != "completed"
    assert order["number"] != "MYOWN123"


def test_totals_are_kept_when_the_catalog_price_changes_later(api, mug, order_body):
    # given
    order = place(api, order_body)

    # when
    mug.price = Decimal("99.00")
    mug.save()

    # then
    assert api.get(f"/api/v1/orders/{order['number']}/").json()["total"] == "30.35"


def test_money_is_written_as_decimal_strings(api, mug, order_body):
    # when
    order = place(api, order_body)

    # then
    for key in ("subtotal", "shipping_total", "tax_total", "total"):
        assert isinstance(order[key], str)
    assert isinstance(order["lines"][0]["unit_price"], str) and isinstance(order["lines"][0]["line_total"], str)
    assert isinstance(order["payment"]["authorized"], str)


@pytest.mark.parametrize(
    ("placed_on", "method", "ship_by", "delivery"),
    [
        # Friday: one handling day → Monday; then 4 (standard) or 1 (express) business days.
        (datetime(2026, 1, 9, 10, tzinfo=UTC), "standard", date(2026, 1, 12), date(2026, 1, 16)),
        (datetime(2026, 1, 9, 10, tzinfo=UTC), "express", date(2026, 1, 12), date(2026, 1, 13)),
        # Wednesday: → Thursday; standard crosses the weekend.
        (datetime(2026, 1, 7, 10, tzinfo=UTC), "standard", date(2026, 1, 8), date(2026, 1, 14)),
        (datetime(2026, 1, 7, 10, tzinfo=UTC), "express", date(2026, 1, 8), date(2026, 1, 9)),
    ],
)
def test_estimated_delivery_counts_business_days_of_handling_and_transit(
    placed_on, method, ship_by, delivery, api, mug, order_body, monkeypatch, settings
):
    # given a fixed clock and one handling day
    settings.OMS_HANDLING_DAYS = 1
    monkeypatch.setattr("django.utils.timezone.now", lambda: placed_on)
    order_body["shipping_method"] = method

    # when
    order = place(api, order_body)

    # then
    assert order["promised_ship_date"] == ship_by.isoformat()
    assert order["estimated_delivery_date"] == delivery.isoformat()
