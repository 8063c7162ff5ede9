"""Exports: CSV streamed in keyset pages with the stated header, XLSX that opens, row counts, who may download."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from inventory.models import StockMovement
from payments.models import GatewayTransaction, Payment
from reporting import exports
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory
from tests.reporting.records import at, order_row

DAY = date(2026, 3, 2)
RANGE = "from=2026-03-02&to=2026-03-02"


@pytest.fixture
def orders(db):
    """Five orders on 2 March (two lines each, a declined then captured card payment on the first), one the day
    after."""
    mug, cap = ProductFactory(sku="MUG", name="Mug"), ProductFactory(sku="CAP", name="Cap")
    placed = [order_row(at(DAY, 8 + n), lines=[(mug, 1), (cap, n + 1)], total="30.00") for n in range(5)]
    order_row(at(date(2026, 3, 3)), lines=[(mug, 1)])
    payment = Payment.objects.create(order=placed[0], method="card", currency="EUR", amount=Decimal("30.00"))
    for key, outcome in [("k1", "declined"), ("k2", "succeeded")]:
        GatewayTransaction.objects.create(
            payment=payment, kind="authorize", outcome=outcome, idempotency_key=key, amount=30
        )
    return placed


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_orders_csv_streams_every_order_of_the_range_across_pages(staff_client, orders, monkeypatch):
    # given pages of two rows, so five orders take three queries
    monkeypatch.setattr(exports, "CHUNK", 2)

    # when
    response = staff_client("finance").get(f"/dashboard/reports/exports/orders.csv?{RANGE}")

    # then
    rows = read_csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="orders-2026-03-02-2026-03-02.csv"'
    assert rows[0] == exports.ORDER_HEADER.split(",")
    assert [row[0] for row in rows[1:]] == [order.number for order in orders]
    assert rows[1][5:11] == ["2", "30.00", "0.00", "0.00", "30.00", "EUR"]


def test_order_lines_and_payments(staff_client, orders, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    client = staff_client("manager")

    lines = read_csv(client.get(f"/dashboard/reports/exports/order_lines.csv?{RANGE}"))
    payments = read_csv(client.get(f"/dashboard/reports/exports/payments.csv?{RANGE}"))

    assert lines[0] == "order,placed_at,sku,name,quantity,unit_price,line_total,quantity_shipped,currency".split(",")
    assert len(lines) == 1 + 10
    assert [(row[0], row[2], row[4]) for row in lines[1:3]] == [
        (orders[0].number, "MUG", "1"),
        (orders[0].number, "CAP", "1"),
    ]
    assert [(row[0], row[3], row[4], row[5]) for row in payments[1:]] == [
        (orders[0].number, "authorize", "declined", "30.00"),
        (orders[0].number, "authorize", "succeeded", "30.00"),
    ]


def test_stock_movements_of_the_range(staff_client, db):
    item = StockItemFactory(product=ProductFactory(sku="MUG"), warehouse=WarehouseFactory(code="NJ1"))
    movement = StockMovement.objects.create(stock_item=item, kind="adjustment", on_hand_delta=-3, reason="=broken")
    StockMovement.objects.filter(pk=movement.pk).update(created_at=at(DAY))

    rows = read_csv(staff_client("manager").get(f"/dashboard/reports/exports/stock_movements.csv?{RANGE}"))

    assert rows[1][1:6] == ["NJ1", "MUG", "adjustment", "-3", "0"]
    assert rows[1][7] == "'=broken"  # a formula is written as text


def test_xlsx_opens_with_the_same_rows(staff_client, orders):
    response = staff_client("finance").get(f"/dashboard/reports/exports/orders.xlsx?{RANGE}")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(exports.ORDER_HEADER.split(","))
    assert [row[0] for row in rows[1:]] == [order.number for order in orders]
    assert rows[1][1].isoformat() == at(DAY, 8).replace(tzinfo=None).isoformat()  # shop time, no zone
    assert rows[1][9] == 30


def test_the_page_counts_rows_before_the_download(staff_client, orders):
    client = staff_client("manager")

    page = client.get(f"/dashboard/reports/exports/?{RANGE}").text
    count = client.get(f"/dashboard/reports/exports/order_lines/count/?{RANGE}").text

    assert 'hx-get="/dashboard/reports/exports/orders/count/?' in page
    assert 'hx-get="/dashboard/reports/exports/returns/count/?' in page
    assert '<td class="num">10</td>' in count and "order_lines.xlsx" in count


@pytest.mark.parametrize("role, status", [("support", 403), ("warehouse", 403), ("finance", 200)])
def test_only_report_viewers_download(staff_client, db, role, status):
    assert staff_client(role).get(f"/dashboard/reports/exports/orders.csv?{RANGE}").status_code == status


def test_an_unknown_export_or_format_is_not_found_and_a_bad_range_goes_back_to_the_form(staff_client, db):
    client = staff_client("manager")

    assert client.get("/dashboard/reports/exports/refunds.csv").status_code == 404
    assert client.get("/dashboard/reports/exports/orders.pdf").status_code == 404
    response = client.get("/dashboard/reports/exports/orders.csv?from=2026-02-30")
    assert response.status_code == 302 and response["Location"].endswith("?from=2026-02-30")
