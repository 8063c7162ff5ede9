"""The reports API: its exact shapes, 400 naming the parameter, 401/403 for everyone but report viewers."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from oms.authentication import staff_token_create
from reporting import services
from tests.factories import ProductFactory, StaffFactory
from tests.reporting.records import at, order_row
from tests.reporting.test_sales_flow_kpis import D1, D


@pytest.fixture
def reports_api(db):
    user = StaffFactory(role=None)
    user.user_permissions.add(Permission.objects.get(codename="view_reports", content_type__app_label="reporting"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_token_create(user=user)[1]}")
    return client


@pytest.fixture
def two_orders(db):
    mug = ProductFactory(sku="MUG", price=Decimal("25.00"))
    first = order_row(at(D, 9), total="25.00", lines=[(mug, 1)], shipped_at=at(D1, 8))
    second = order_row(at(D1, 9), total="50.00", lines=[(mug, 2)], status="cancelled")
    services.rebuild(D, D1)
    return first, second


def test_summary_shape(reports_api, two_orders):
    body = reports_api.get("/api/v1/reports/summary/", {"from": D.isoformat(), "to": D1.isoformat()}).json()

    assert body["from"] == D.isoformat() and body["to"] == D1.isoformat()
    assert (body["orders"], body["units"], body["revenue"], body["average_order_value"]) == (2, 1, "25.00", "25.00")
    assert (body["cancelled"], body["on_time_ship_rate"], body["holds_by_reason"]) == (1, None, {})
    assert set(body["cycle_time_hours"]) == {
        "placed_to_confirmed",
        "confirmed_to_shipped",
        "shipped_to_delivered",
        "placed_to_delivered",
    }
    assert body["cycle_time_hours"]["placed_to_confirmed"] == {"p50": None, "p90": None}
    assert body["csat"] == {"average": None, "responses": 0}


def test_timeseries_every_period(reports_api, two_orders):
    response = reports_api.get(
        "/api/v1/reports/timeseries/",
        {"metric": "revenue", "interval": "day", "from": (D - timedelta(days=1)).isoformat(), "to": D1.isoformat()},
    )

    assert response.json() == [
        {"period": (D - timedelta(days=1)).isoformat(), "value": "0.00"},
        {"period": D.isoformat(), "value": "25.00"},
        {"period": D1.isoformat(), "value": "0.00"},
    ]


def test_orders_csv(reports_api, two_orders):
    response = reports_api.get("/api/v1/reports/orders.csv", {"from": D.isoformat(), "to": D1.isoformat()})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "number,placed_at,channel,status,customer_email,units,subtotal,shipping_total,tax_total,total,currency,"
        "shipped_at,delivered_at"
    ][0].split(",")
    first, second = two_orders
    assert [r[0] for r in rows[1:]] == [first.number, second.number]
    assert rows[1][3:6] == ["confirmed", first.customer.email, "1"]
    assert rows[1][9:] == ["25.00", "EUR", at(D1, 8).isoformat(), ""]


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("summary/", {"from": "2026-02-30"}, "from"),
        ("summary/", {"from": "2026-03-02", "to": "2026-03-01"}, "from"),
        ("summary/", {"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ("summary/", {"channel": "fax"}, "channel"),
        ("summary/", {"warehouse": "NOPE"}, "warehouse"),
        ("timeseries/", {"metric": "profit"}, "metric"),
        ("timeseries/", {"metric": "orders", "interval": "year"}, "interval"),
        ("orders.csv", {"to": "yesterday"}, "to"),
    ],
)
def test_bad_parameters_are_400_naming_them(reports_api, path, params, field):
    response = reports_api.get(f"/api/v1/reports/{path}", params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("path", ["summary/", "timeseries/?metric=orders", "orders.csv"])
def test_only_report_viewers_get_in(staff_api, api, path):
    assert APIClient().get(f"/api/v1/reports/{path}").status_code == 401
    assert staff_api("order desk").get(f"/api/v1/reports/{path}").status_code == 403
    assert api.get(f"/api/v1/reports/{path}").status_code == 403  # a storefront key: reports are staff-only


def test_orders_csv_pages_through_every_order_once(reports_api, monkeypatch):
    from reporting.api import views

    monkeypatch.setattr(views, "CSV_CHUNK", 2)
    same_moment = [order_row(at(D, 10)).number for _ in range(3)]  # ties on placed_at: the id breaks them
    others = [order_row(at(D, hour)).number for hour in (8, 12)]

    response = reports_api.get("/api/v1/reports/orders.csv", {"from": D.isoformat(), "to": D.isoformat()})

    numbers = [row[0] for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))][1:]
    assert numbers == [others[0], *same_moment, others[1]]
