"""The Reports pages: who may open them, what they show, their CSV tables, and bad filters beside the field."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.dashboard.roles import ROLES
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory
from tests.reporting.records import event, order_row

PAGES = ["", "sales/", "flow/", "exceptions/", "customers/", "inventory/", "team/", "exports/"]
ALLOWED = {"manager", "finance"}


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("page", PAGES)
def test_managers_and_finance_open_the_reports_others_are_refused(staff_client, role, page):
    response = staff_client(role).get(f"/dashboard/reports/{page}")

    assert response.status_code == (200 if role in ALLOWED else 403)


@pytest.fixture
def shop(db):
    """Two orders placed today (one held for fraud review), a product in stock, a clerk's status change."""
    now = timezone.now()
    StaffFactory(username="alice")
    StockItemFactory(product=ProductFactory(sku="MUG", name="Mug"), warehouse=WarehouseFactory(code="NJ1"), on_hand=7)
    kept = order_row(now, total="25.00")
    event(kept, now, "fulfilling", from_status="confirmed", actor="alice")
    held = order_row(now, status="on_hold", hold_reason="fraud_review")
    event(held, now, "on_hold", from_status="confirmed", actor="alice", note="Fraud review")


@pytest.mark.parametrize("page", PAGES[1:-1])
def test_each_page_draws_its_charts_beside_accessible_tables(staff_client, shop, page):
    html = staff_client("manager").get(f"/dashboard/reports/{page}").text

    assert "chartjs-4.5.1/chart.umd.js" in html
    assert "<caption" in html and '<th scope="col"' in html
    assert "format=csv&amp;table=" in html


def test_the_exceptions_page_shows_the_hold_by_reason_and_its_csv(staff_client, shop):
    client = staff_client("finance")
    today = timezone.localdate().isoformat()

    html = client.get(f"/dashboard/reports/exceptions/?from={today}&to={today}").text
    response = client.get(f"/dashboard/reports/exceptions/?from={today}&to={today}&format=csv&table=holds_by_reason")

    assert "Fraud review" in html and "50.0%" in html  # one of the two orders placed today was held
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Reason", "Holds", "Ended", "Median hours", "Average hours"]
    assert rows[1][:3] == ["Fraud review", "1", "0"]


def test_the_inventory_page_values_stock(staff_client, shop):
    response = staff_client("manager").get("/dashboard/reports/inventory/?format=csv&table=stock_value")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [["Warehouse", "Units", "Value"], ["NJ1", "7", "70.00"]]


def test_an_unknown_table_is_not_found(staff_client, shop):
    assert staff_client("manager").get("/dashboard/reports/?format=csv&table=nope").status_code == 404


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("from=2026-13-01", "from", "must be a date"),
        ("from=2026-03-02&to=2026-03-01", "from", "on or before"),
        ("from=2020-01-01&to=2026-01-01", "to", "over 3 years"),
        ("channel=fax", "channel", "must be one of"),
        ("warehouse=nowhere", "warehouse", "not a known warehouse"),
    ],
)
def test_a_bad_filter_is_told_beside_its_field(staff_client, query, field, message):
    response = staff_client("manager").get(f"/dashboard/reports/flow/?{query}")

    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.text and message in response.text


def test_a_bad_rating_on_the_customers_page_is_told_beside_it(staff_client):
    response = staff_client("manager").get("/dashboard/reports/customers/?rating=9")

    assert response.status_code == 400
    assert 'id="id_rating-error"' in response.text


def test_a_bad_filter_on_a_csv_download_is_not_a_file(staff_client):
    response = staff_client("manager").get("/dashboard/reports/?from=yesterday&format=csv&table=top_products")

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_the_home_page_links_its_figures_into_the_reports(staff_client):
    today = timezone.localdate().isoformat()

    html = staff_client("manager").get("/dashboard/").text

    assert f"/dashboard/reports/sales/?from={today}&amp;to={today}" in html
    assert "/dashboard/reports/" not in staff_client("warehouse").get("/dashboard/").text


def test_the_previous_period_is_compared(staff_client, shop):
    today = timezone.localdate()
    first = today - timedelta(days=6)

    html = staff_client("manager").get(f"/dashboard/reports/sales/?from={first}&to={today}").text

    before = (first - timedelta(days=7)).strftime("%-d %b %Y")
    assert f"compared with {before}" in html and "before:" in html
