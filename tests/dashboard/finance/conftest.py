from decimal import Decimal

import pytest

from orders.models import Customer, Order
from tests.factories import CustomerFactory, OrderFactory

# Who may take each action: orders.mark_paid records invoice payments, orders.release_order retries cards.
SETTLERS = {"finance", "manager"}
RETRIERS = {"order desk", "finance", "support", "manager"}


@pytest.fixture
def business(db) -> Customer:
    """A business customer buying on account, with room for a few orders."""
    return CustomerFactory(
        email="buyer@acme.example", name="Acme GmbH", payment_terms="on_account", credit_limit=Decimal("100.00")
    )


@pytest.fixture
def on_account_order(commit, warehouse, business):
    """``on_account_order(**fields)``: an order paid on account, confirmed with its invoice open."""

    def make(**fields) -> Order:
        fields.setdefault("customer_email", business.email)
        with commit():
            order = OrderFactory(payment_method="on_account", payment_token="", **fields)
        return Order.objects.get(pk=order.pk)

    return make
