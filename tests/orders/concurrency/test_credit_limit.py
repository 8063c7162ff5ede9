"""Concurrent on-account orders of one customer share one credit limit, without deadlocks.

The credit check locks the customer row while it adds up what the customer owes, so two orders cannot
both squeeze under the limit: they queue on that row while each holds its own stock locks.
"""

import copy
from decimal import Decimal

import pytest

from orders.models import Customer, HoldReason, Order, OrderStatus
from tests.factories import CustomerFactory, ProductFactory, StockItemFactory, WarehouseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 8
LIMIT = Decimal("350.00")


@pytest.fixture
def customer_on_account(reference_data, storefront):
    """The storefront's own business customer (only its own customers may be billed on account)."""
    product = ProductFactory(sku="DESK-1", price="100.00", weight_kg="0")
    StockItemFactory(product=product, warehouse=WarehouseFactory(code="MAIN"), on_hand=1000)
    return CustomerFactory(
        email="buyer@example.com",
        payment_terms=Customer.PaymentTerms.ON_ACCOUNT,
        credit_limit=LIMIT,
        storefront=storefront,
    )


def test_concurrent_orders_on_account_share_one_credit_limit(
    parallel, http, storefront, order_body, customer_on_account
):
    # given a customer with credit terms and a limit of 350
    body = copy.deepcopy(order_body)
    body["customer"] = {"email": customer_on_account.email, "name": customer_on_account.name, "phone": ""}
    body["lines"] = [{"sku": "DESK-1", "quantity": 1}]
    body["payment"] = {"method": "on_account"}

    # when eight orders of about 100 each arrive at the same moment
    responses = parallel(
        [http("POST", "/api/v1/orders/", auth=f"Bearer {storefront.key}", json=body) for _ in range(CLIENTS)]
    )

    # then every client gets a 201, and only as many orders as fit under the limit go on
    assert [r.status_code for r in responses] == [201] * CLIENTS, [r.text[:300] for r in responses]
    total = Decimal(responses[0].json()["total"])
    fits = int(LIMIT // total)
    assert 0 < fits < CLIENTS
    orders = list(Order.objects.filter(customer=customer_on_account))
    approved = [o for o in orders if o.status != OrderStatus.ON_HOLD]
    assert len(approved) == fits
    assert {o.status for o in approved} == {OrderStatus.CONFIRMED}
    assert {o.hold_reason for o in orders if o not in approved} == {HoldReason.CREDIT}
    assert sum(o.total for o in approved) <= LIMIT
