"""Placement is the hot path: a fixed number of queries, however many lines the order has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CustomerFactory, OrderFactory, ProductFactory, StockItemFactory, TaxRateFactory

# Within the caller's transaction, no savepoint. 1: the catalog, carrying as subqueries the shipping method, the
# tax rate, the returning customer, fraud screening's rules, the new rows' ids drawn from their sequences,
# whether the order number drawn is free and every history the fraud rules read (for the rules the last screening
# found: the first placement of a process reads them apart). 2: the stock reservation's lock. 3: once for the whole
# placement, the order in its final state with its addresses, its lines (reserved counts and all) and its payment,
# the stock rows' reserved counts and their ledger rows, the line allocations, its timeline events, the reports'
# mark and the queued tasks (oms.deferred).
PLACEMENT_QUERIES = 3


def _queries_to_place(lines) -> int:
    with CaptureQueriesContext(connection) as placed:
        OrderFactory(customer_email="ann@example.com", lines=lines)
    return len(placed.captured_queries)


def test_placing_an_order_runs_a_fixed_number_of_queries(mug, warehouse):
    # given a returning customer, a taxed destination and twenty products in stock
    CustomerFactory(email="ann@example.com")
    TaxRateFactory(country="DE")
    skus = ["MUG-1"]
    for n in range(19):
        product = ProductFactory(sku=f"SKU-{n:02d}")
        StockItemFactory(product=product, warehouse=warehouse, on_hand=50)
        skus.append(product.sku)

    # when, after a first order, orders of one, five and twenty lines are placed
    OrderFactory(customer_email="ann@example.com", lines=[("MUG-1", 1)])
    counts = {n: _queries_to_place([(sku, 1) for sku in skus[:n]]) for n in (1, 5, 20)}

    # then each runs the same, fixed number of queries
    assert counts == {1: PLACEMENT_QUERIES, 5: PLACEMENT_QUERIES, 20: PLACEMENT_QUERIES}
