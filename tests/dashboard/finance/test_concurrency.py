"""Two people acting on one order's payment at the same moment: one wins, nothing is recorded twice.

Real concurrent PostgreSQL transactions (one thread, one connection each); the order row is locked
NOWAIT, so the loser is refused at once (``OrderBusy``, a ConflictError) or, if the winner already
committed, finds nothing to do (another ConflictError).
"""

from decimal import Decimal

import pytest

from oms.exceptions import ConflictError
from orders import services
from orders.models import Order
from payments.models import GatewayTransaction, Payment
from tests.factories import CustomerFactory, OrderFactory, StaffFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 3


@pytest.fixture(autouse=True)
def _postgres_only(postgres_only):
    """Needs PostgreSQL (row locks, concurrent transactions)."""


def test_two_finance_clerks_record_the_same_invoice_once(parallel, transactional_db, reference_data, warehouse):
    CustomerFactory(email="buyer@acme.example", payment_terms="on_account", credit_limit=Decimal("1000"))
    clerks = [StaffFactory(role="finance") for _ in range(2)]
    for _ in range(ROUNDS):
        order = OrderFactory(customer_email="buyer@acme.example", payment_method="on_account", payment_token="")
        assert Order.objects.get(pk=order.pk).payment_status == "authorized"

        results = parallel(
            [lambda user=user, pk=order.pk: services.order_invoice_settle(order_id=pk, user=user) for user in clerks],
            catch=(ConflictError,),
        )

        assert sum(isinstance(r, Order) for r in results) == 1, results
        assert GatewayTransaction.objects.filter(payment__order=order, kind="settle").count() == 1
        assert Order.objects.get(pk=order.pk).payment_status == "settled"
        assert Order.objects.get(pk=order.pk).events.filter(note__startswith="Invoice paid").count() == 1


def test_two_clerks_retrying_the_same_card_make_one_payment(parallel, transactional_db, reference_data, warehouse):
    clerks = [StaffFactory(role="order desk") for _ in range(2)]
    for _ in range(ROUNDS):
        order = OrderFactory(payment_token="tok_decline")
        assert Order.objects.get(pk=order.pk).hold_reason == "payment_failed"

        results = parallel(
            [
                lambda user=user, pk=order.pk: services.order_payment_retry(
                    order_id=pk, token="tok_ok", actor=user.username, user=user
                )
                for user in clerks
            ],
            catch=(ConflictError,),
        )

        assert sum(isinstance(r, Order) for r in results) == 1, results
        assert Payment.objects.filter(order=order).count() == 2
        assert Order.objects.get(pk=order.pk).status == "confirmed"
