"""Two edits of one order at the same moment (PostgreSQL, real threads and connections): each either applies
whole or is refused (busy), and the order ends consistent: its reserved stock is its lines, its totals add up
from its lines, its payment covers its total."""

from decimal import Decimal

import pytest

from oms.exceptions import ConflictError
from orders import services
from orders.models import Order
from payments.models import Payment
from tests.factories import OrderFactory, ProductFactory, StockItemFactory, WarehouseFactory
from tests.orders.changes.conftest import assert_stock_matches_lines, assert_totals_match_lines, lines_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 3
EDITS = ([("MUG-1", 5), ("TEE-1", 1)], [("MUG-1", 1), ("CAP-1", 2)])


@pytest.fixture
def orders(reference_data, postgres_only):
    warehouse = WarehouseFactory(code="MAIN", priority=1)
    for sku, price in (("MUG-1", "12.50"), ("TEE-1", "20.00"), ("CAP-1", "8.00")):
        product = ProductFactory(sku=sku, price=Decimal(price), weight_kg=Decimal("0"))
        StockItemFactory(product=product, warehouse=warehouse, on_hand=100)
    placed = [OrderFactory(lines=[("MUG-1", 2), ("TEE-1", 1)]) for _ in range(ROUNDS)]
    for order in placed:
        assert Order.objects.get(pk=order.pk).status == "confirmed"
    return placed


def test_two_concurrent_edits_leave_the_order_consistent(parallel, orders):
    for order in orders:
        # when two people change the order's lines at the same moment (one grows it past its authorization)
        results = parallel(
            [
                lambda lines=lines, order_id=order.pk: services.order_lines_change(
                    order_id=order_id, lines=lines, actor="test"
                )
                for lines in EDITS
            ],
            catch=(ConflictError,),
        )

        # then each edit applied or was refused as busy, at least one applied, and the order is one of the edits
        applied = [lines for lines, result in zip(EDITS, results, strict=True) if isinstance(result, Order)]
        refused = [result for result in results if isinstance(result, ConflictError)]
        assert applied, refused
        assert all(error.code in ("busy", "order_changed") for error in refused), [e.message for e in refused]
        assert lines_of(order) in [dict(lines) for lines in applied]
        # and its stock, totals and payment agree with its lines
        assert_stock_matches_lines(*orders)
        assert_totals_match_lines(order)
        fresh = Order.objects.get(pk=order.pk)
        payment = Payment.objects.get(order=order)
        assert payment.status == "authorized"
        assert payment.amount == fresh.total <= payment.authorized_amount
        assert fresh.amount_authorized == payment.authorized_amount
