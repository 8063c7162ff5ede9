"""Payments other than cards after an edit: on account is checked against the credit limit again (held for
credit when over), a paid bank transfer shows the balance due or the refund due, an unpaid one expects the
new total."""

from decimal import Decimal

import pytest

from orders import services
from orders.models import Customer, Order
from payments.models import Payment
from tests.factories import CustomerFactory, StaffFactory
from tests.orders.changes.conftest import change_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_account(catalog):
    return CustomerFactory(payment_terms=Customer.PaymentTerms.ON_ACCOUNT, credit_limit=Decimal("100.00"))


def test_on_account_over_the_limit_after_an_edit_is_held_for_credit(confirmed, commit, on_account):
    # given an on-account order of 49.95 under a 100.00 limit, its invoice open
    order = confirmed(customer_id=on_account.pk, customer_email=on_account.email, payment_method="on_account")
    assert Payment.objects.get(order=order).status == "authorized"

    # when the mugs go to 8 (total 124.95)
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 8), ("TEE-1", 1)], actor="test")

    # then the invoice is for 124.95 and the order is held: over the credit limit
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.hold_reason, order.held_from) == ("on_hold", "credit", "confirmed")
    assert "Credit limit 100.00 exceeded" in order.hold_note
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.authorized_amount) == (Decimal("124.95"), Decimal("124.95"))
    assert "Invoice now 124.95 USD." in change_note(order)


def test_on_account_within_the_limit_goes_on(confirmed, commit, on_account):
    # given an on-account order of 49.95 under a 100.00 limit
    order = confirmed(customer_id=on_account.pk, customer_email=on_account.email, payment_method="on_account")

    # when it grows to 74.95
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 4), ("TEE-1", 1)], actor="test")

    # then it stays confirmed with a larger invoice
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.total, order.amount_authorized) == ("confirmed", Decimal("74.95"), Decimal("74.95"))


@pytest.fixture
def paid_transfer(catalog, order_in_state):
    """A bank transfer order of 49.95, paid in full and confirmed."""

    def make() -> Order:
        order = order_in_state("credit_approved", lines=[("MUG-1", 2), ("TEE-1", 1)])
        services.order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"))
        order = Order.objects.get(pk=order.pk)
        assert (order.status, order.amount_captured) == ("confirmed", Decimal("49.95"))
        return order

    return make


def test_a_paid_transfer_that_grows_shows_the_balance_due(paid_transfer, commit, staff_api):
    # given a paid bank transfer order of 49.95
    order = paid_transfer()
    client = staff_api("order desk")

    # when a tee is added (total 69.95)
    with commit():
        response = client.post(
            f"/api/v1/orders/{order.number}/lines/",
            {"lines": [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 2}]},
            format="json",
        )

    # then the payment summary shows 20.00 still to pay and nothing to refund
    assert response.status_code == 200, response.content
    payment = response.json()["payment"]
    assert (payment["captured"], payment["balance_due"], payment["refund_due"]) == ("49.95", "20.00", "0.00")
    assert "Paid 49.95 USD: balance due 20.00 USD." in change_note(order)


def test_a_paid_transfer_that_shrinks_shows_the_refund_due(paid_transfer, commit, staff_api):
    # given a paid bank transfer order of 49.95
    order = paid_transfer()

    # when the tee is removed (total 29.95)
    with commit():
        response = staff_api("order desk").post(
            f"/api/v1/orders/{order.number}/lines/", {"lines": [{"sku": "MUG-1", "quantity": 2}]}, format="json"
        )

    # then 20.00 is shown as due back to the customer; the captured payment itself is untouched
    assert response.status_code == 200, response.content
    payment = response.json()["payment"]
    assert (payment["balance_due"], payment["refund_due"]) == ("0.00", "20.00")
    assert Payment.objects.get(order=order).amount == Decimal("49.95")
    assert "Paid 49.95 USD: 20.00 USD to refund." in change_note(order)


def test_an_unpaid_transfer_expects_the_new_total(catalog, order_in_state, commit, staff_api):
    # given a bank transfer order of 49.95 awaiting its funds
    order = order_in_state("credit_approved", lines=[("MUG-1", 2), ("TEE-1", 1)])

    # when a mug is added (total 62.45)
    with commit():
        response = staff_api("order desk").post(
            f"/api/v1/orders/{order.number}/lines/",
            {"lines": [{"sku": "MUG-1", "quantity": 3}, {"sku": "TEE-1", "quantity": 1}]},
            format="json",
        )

    # then the transfer expected is 62.45, and that is what marking it paid records
    assert response.status_code == 200, response.content
    assert response.json()["payment"]["balance_due"] == "62.45"
    assert Payment.objects.get(order=order).amount == Decimal("62.45")
    services.order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"))
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.amount_captured, order.balance_due) == ("confirmed", Decimal("62.45"), 0)
