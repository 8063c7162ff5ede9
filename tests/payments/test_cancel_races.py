"""A cancel that lands while the gateway is authorizing leaves no authorization behind and no invoice
counting against credit; after a card retry, the order's payment summary follows the latest payment.

The concurrent cancel is run from inside the gateway call, the one place it can land in production: while
the remote party thinks, outside any database transaction.
"""

from decimal import Decimal

import pytest

from orders import services
from orders.models import Order, OrderStatus
from payments.gateways import GATEWAYS
from payments.models import GatewayTransaction, Payment
from payments.selectors import customer_outstanding_balance
from payments.services import payment_authorize, payment_cancel
from tests.factories import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancel_during_authorize(monkeypatch):
    """``cancel_during_authorize(method)``: the gateway of ``method`` authorizes, but only after the payment
    was cancelled by someone else."""

    def arm(method: str):
        gateway = GATEWAYS[method]
        original = gateway.authorize

        def authorize(**kwargs):
            payment = Payment.objects.get(status=Payment.Status.PENDING, method=method)
            payment_cancel(payment_id=payment.pk)
            return original(**kwargs)

        monkeypatch.setattr(gateway, "authorize", authorize)

    return arm


def _pending_payment(**order_fields) -> Payment:
    order = OrderFactory(**order_fields)  # no commit: the payment task has not run
    return Payment.objects.get(order=order)


def test_a_card_authorized_after_the_cancel_is_voided(mug, cancel_during_authorize):
    # given a card payment being authorized when the order is cancelled
    payment = _pending_payment(lines=[("MUG-1", 1)])
    cancel_during_authorize("card")

    # when the gateway's authorization comes back
    payment = payment_authorize(payment_id=payment.pk)

    # then the payment stays voided and the authorization was released at the gateway
    assert payment.status == Payment.Status.VOIDED
    kinds = list(GatewayTransaction.objects.filter(payment=payment).values_list("kind", "outcome"))
    assert kinds == [("authorize", "succeeded"), ("void", "succeeded")]


def test_an_on_account_invoice_opened_after_the_cancel_does_not_count_against_credit(mug, cancel_during_authorize):
    # given a business customer whose on-account order is cancelled while its invoice is opened
    customer = CustomerFactory(email="buyer@acme.example", payment_terms="on_account", credit_limit=Decimal("500"))
    payment = _pending_payment(
        lines=[("MUG-1", 1)], customer_email=customer.email, payment_method="on_account", payment_token=""
    )
    cancel_during_authorize("on_account")

    # when the invoice's authorization comes back
    payment_authorize(payment_id=payment.pk)

    # then nothing is outstanding for the customer
    payment.refresh_from_db()
    assert payment.status == Payment.Status.VOIDED
    assert customer_outstanding_balance(customer_id=customer.pk) == Decimal("0")


def test_a_cancel_after_the_authorization_voids_it_as_before(mug):
    payment = _pending_payment(lines=[("MUG-1", 1)])
    payment_authorize(payment_id=payment.pk)
    payment = payment_cancel(payment_id=payment.pk)
    assert payment.status == Payment.Status.VOIDED
    assert GatewayTransaction.objects.filter(payment=payment, kind="void", outcome="succeeded").count() == 1


def test_authorization_keys_do_not_hold_the_card_token(mug):
    payment = _pending_payment(lines=[("MUG-1", 1)], payment_token="tok_ok")
    payment_authorize(payment_id=payment.pk)
    key = GatewayTransaction.objects.get(payment=payment, kind="authorize").idempotency_key
    assert "tok_ok" not in key


def test_after_a_card_retry_the_summary_follows_the_latest_payment(mug, commit):
    # given an order declined, then paid with a new card
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], payment_token="tok_decline")
    with commit():
        services.order_payment_retry(order_id=order.pk, token="tok_ok", actor="storefront")
    # when it is cancelled and its payments are released
    with commit():
        services.order_transition(
            order_id=order.pk, name="cancel", user=_manager(), reason="customer changed their mind"
        )
    # then the summary is that of the new card's payment
    order = Order.objects.get(pk=order.pk)
    latest = order.payments.order_by("-pk").first()
    assert order.status == OrderStatus.CANCELLED
    assert (order.payment_status, order.amount_authorized) == (latest.status, latest.authorized_amount)
    assert latest.authorized_amount == order.total


def _manager():
    from tests.factories import StaffFactory

    return StaffFactory(role="manager")
