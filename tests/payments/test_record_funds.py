"""Recording that a bank transfer's funds arrived keeps the bank's reference and the day, once."""

from datetime import date

import pytest

from payments.models import GatewayTransaction, Payment
from payments.services import payment_record_funds


@pytest.fixture
def awaiting(order_in_state) -> Payment:
    order = order_in_state("credit_approved")
    payment = order.payments.get()
    assert payment.status == "awaiting_funds"
    return payment


def _funds(payment) -> list[GatewayTransaction]:
    return list(GatewayTransaction.objects.filter(idempotency_key=f"payment-{payment.pk}-funds-received"))


def test_the_reference_and_the_day_go_on_the_transaction(awaiting):
    payment = payment_record_funds(payment_id=awaiting.pk, reference=" BANK-77 ", received_on=date(2025, 3, 4))

    assert (payment.status, payment.captured_amount) == ("captured", awaiting.amount)
    [tx] = _funds(awaiting)
    assert (tx.kind, tx.outcome, tx.amount) == ("capture", "succeeded", awaiting.amount)
    assert (tx.reference, tx.message) == ("BANK-77", "Funds received 04 Mar 2025")


def test_without_them_the_payment_reference_is_kept(awaiting):
    payment_record_funds(payment_id=awaiting.pk)

    [tx] = _funds(awaiting)
    assert (tx.reference, tx.message) == (awaiting.gateway_reference, "Funds received")


def test_recording_again_changes_nothing(awaiting):
    payment_record_funds(payment_id=awaiting.pk, reference="FIRST", received_on=date(2025, 3, 4))

    again = payment_record_funds(payment_id=awaiting.pk, reference="SECOND", received_on=date(2025, 3, 5))

    assert again.status == "captured"
    [tx] = _funds(awaiting)
    assert (tx.reference, tx.message) == ("FIRST", "Funds received 04 Mar 2025")
