from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Customer, Order
from tests.factories import CustomerFactory, OrderFactory

# Who may take each action: orders.mark_paid records invoice payments, orders.release_order retries cards.
SETTLERS = {"finance", "manager"}
RETRIERS = {"order desk", "finance", "support", "manager"}


def invoice_payment(client, order, *, received_on: date | None = None, follow: bool = False, **fields):
    """Post the order page's invoice payment form: received on ``received_on`` (today unless given), and the
    form's other ``fields`` (``reference``, ``amount``); with ``follow``, the page it leads to."""
    data = {"invoice-received_on": (received_on or timezone.localdate()).isoformat()}
    data.update({f"invoice-{name}": value for name, value in fields.items()})
    return client.post(f"/dashboard/orders/{order.number}/invoice-payment/", data, follow=follow)


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
