"""Placement is the hot path: a fixed number of queries, however many lines the order has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CustomerFactory, OrderFactory, ProductFactory, StockItemFactory, TaxRateFactory

# Catalog, shipping method, customer, addresses, tax rate, order, lines, payment, timeline, stock reservation
# and the automatic stages up to the queued payment, with their savepoints; for each of the 3 timeline
# events, the reports' mark that the order changed (one upsert, reporting.services.order_event_mark); and
# fraud screening's six: the rules and the hold score, the customer's latest orders, the card's recent orders
# (a card token it tracks), the deny list, the customer's declined payments (orders.services.risk), each served
# by an index.
PLACEMENT_QUERIES = 34


def _queries_to_place(lines) -> int:
    with CaptureQueriesContext(connection) as placed:
        OrderFactory(customer_email="ann@example.com", lines=lines)
    return len(placed.captured_queries)


def test_placing_an_order_runs_a_fixed_number_of_queries(mug, warehouse):
    # given a returning customer, a taxed destination and three products in stock
    CustomerFactory(email="ann@example.com")
    TaxRateFactory(country="DE")
    for sku in ("TEA-1", "PEN-1"):
        StockItemFactory(product=ProductFactory(sku=sku), warehouse=warehouse, on_hand=50)

    # when an order of one line and one of three lines are placed
    one_line = _queries_to_place([("MUG-1", 1)])
    three_lines = _queries_to_place([("MUG-1", 1), ("TEA-1", 2), ("PEN-1", 3)])

    # then
    assert one_line == three_lines
    assert three_lines <= PLACEMENT_QUERIES
