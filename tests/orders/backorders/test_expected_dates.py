"""Backordered units say when they are expected: the earliest purchase order sent for the product that still
brings units. Drafts are not promises, and lines with nothing backordered have no date."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventory import purchasing
from inventory.models import Warehouse
from tests.factories import ProductFactory, StaffFactory
from tests.inventory.purchasing.conftest import SupplierFactory


def _purchase_order(product, *, units: int, days: int, send: bool = True) -> None:
    buyer = StaffFactory(role="warehouse")
    po = purchasing.purchase_order_create(
        supplier_id=SupplierFactory().pk,
        warehouse_id=Warehouse.objects.get(code="MAIN").pk,
        user=buyer,
        expected_date=timezone.localdate() + timedelta(days=days),
    )
    lines = [purchasing.LineInput(product_id=product.pk, quantity=units, unit_cost=Decimal("2.50"))]
    purchasing.purchase_order_lines_set(number=po.number, lines=lines, user=buyer)
    if send:
        purchasing.purchase_order_send(number=po.number, user=buyer)


def _lines(api, number: str) -> dict[str, dict]:
    response = api.get(f"/api/v1/orders/{number}/")
    assert response.status_code == 200
    return {line["sku"]: line for line in response.json()["lines"]}


def test_a_backordered_line_shows_when_the_next_purchase_order_is_expected(api, place, lamp, mug, staff_client):
    # given two sent purchase orders bringing lamps (in 12 and in 5 days) and a draft due sooner
    _purchase_order(lamp, units=10, days=12)
    _purchase_order(lamp, units=10, days=5)
    _purchase_order(lamp, units=10, days=2, send=False)

    # when an order shipping in parts wants 8 lamps (5 in stock) and a mug (in stock)
    order = place([("LAMP-1", 8), ("MUG-1", 1)], ship_partial=True).order

    # then the API says the 3 backordered lamps are expected with the earlier sent purchase order
    lines = _lines(api, order.number)
    expected = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert (lines["LAMP-1"]["quantity_backordered"], lines["LAMP-1"]["expected_date"]) == (3, expected)
    assert lines["MUG-1"]["expected_date"] is None

    # and the order page shows it beside the backordered units
    page = staff_client("order desk").get(f"/dashboard/orders/{order.number}/")
    assert f"expected {(timezone.localdate() + timedelta(days=5)).strftime('%-d %b')}" in page.content.decode()


def test_no_purchase_order_on_the_way_means_no_date(api, place, lamp):
    order = place([("LAMP-1", 8)], ship_partial=True).order
    assert _lines(api, order.number)["LAMP-1"]["expected_date"] is None


def test_the_dates_of_many_backordered_lines_are_read_together(api, place, lamp, warehouse):
    # given an order waiting for one product, and one waiting for four
    def waiting_order(count: int) -> str:
        products = [ProductFactory() for _ in range(count)]
        for product in products:
            _purchase_order(product, units=10, days=5)
        return place([(p.sku, 2) for p in products], ship_partial=True).order.number

    one, four = waiting_order(1), waiting_order(4)

    # when the storefront reads each
    with CaptureQueriesContext(connection) as reading_one:
        assert _lines(api, one)
    with CaptureQueriesContext(connection) as reading_four:
        assert all(line["expected_date"] for line in _lines(api, four).values())

    # then four lines cost no more queries than one
    assert len(reading_four.captured_queries) == len(reading_one.captured_queries)
