"""A refund goes back the way the customer paid: a card refund through the gateway, a credit note off an
on-account invoice, a recorded manual refund for cash and bank transfer; partial refunds add up."""

from datetime import date
from decimal import Decimal

import pytest

from payments.models import CreditNote, GatewayTransaction, Payment, Refund
from payments.selectors import customer_outstanding_balance
from payments.services import payment_record_funds, payment_refund
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
ONE = Decimal("1.00")


def _captured(order_in_state, **fields) -> Payment:
    order = order_in_state("delivered", **fields)
    payment = order.payments.get()
    assert payment.status == "captured"
    return payment


def test_a_card_is_refunded_in_parts_that_add_up(order_in_state):
    # given a captured card payment
    payment = _captured(order_in_state)

    # when two partial refunds are made, then the rest
    payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-1")
    payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-2")
    rest = payment.captured_amount - 2 * ONE
    last = payment_refund(payment_id=payment.pk, amount=rest, reason="damaged", key="r-3")

    # then each went through the gateway and the payment is refunded in full
    assert last.status == Refund.Status.SUCCEEDED
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", payment.captured_amount)
    refunds = GatewayTransaction.objects.filter(payment=payment, kind="refund").values_list("outcome", "amount")
    assert list(refunds) == [("succeeded", ONE), ("succeeded", ONE), ("succeeded", rest)]


def test_a_partial_card_refund_keeps_the_payment_captured(order_in_state):
    payment = _captured(order_in_state)

    refund = payment_refund(payment_id=payment.pk, amount=ONE, reason="defective", key="r-1")

    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("captured", ONE)
    assert (refund.kind, refund.transaction.kind, refund.transaction.outcome) == ("gateway", "refund", "succeeded")


def test_the_same_key_refunds_once(order_in_state):
    payment = _captured(order_in_state)

    first = payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-1")
    again = payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-1")

    assert again.pk == first.pk
    payment.refresh_from_db()
    assert payment.refunded_amount == ONE
    assert GatewayTransaction.objects.filter(payment=payment, kind="refund").count() == 1


def test_a_declined_card_refund_gives_its_amount_back(order_in_state, monkeypatch):
    from payments.gateways import GATEWAYS, GatewayResult

    payment = _captured(order_in_state)
    monkeypatch.setattr(
        GATEWAYS["card"], "refund", lambda **kw: GatewayResult("declined", error_code="x", message="No.")
    )

    refund = payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-1")

    assert refund.status == Refund.Status.FAILED
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("captured", 0)


def test_on_account_refunds_are_credit_notes_off_the_balance(order_in_state):
    # given a delivered on-account order whose invoice is open
    business = CustomerFactory(payment_terms="on_account", credit_limit=Decimal("1000.00"))
    payment = _captured(order_in_state, payment_method="on_account", payment_token="", customer_email=business.email)
    owed = customer_outstanding_balance(customer_id=business.pk)
    assert owed == payment.amount

    # when two parts are credited
    payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="cn-1", recorded_by="fiona")
    refund = payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="cn-2", recorded_by="fiona")

    # then two numbered credit notes exist and the customer owes that much less
    year = date.today().year
    numbers = list(CreditNote.objects.filter(payment=payment).values_list("number", "amount"))
    assert [amount for _, amount in numbers] == [ONE, ONE]
    assert all(number.startswith(f"CN-{year}-") and len(number) == 14 for number, _ in numbers)
    assert refund.credit_note.number == numbers[1][0]
    assert customer_outstanding_balance(customer_id=business.pk) == owed - 2 * ONE
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount, payment.balance_due) == ("captured", 2 * ONE, owed - 2 * ONE)


def test_a_credit_note_that_covers_the_rest_closes_the_invoice(order_in_state):
    from payments.services import payment_receive

    business = CustomerFactory(payment_terms="on_account", credit_limit=Decimal("1000.00"))
    payment = _captured(order_in_state, payment_method="on_account", payment_token="", customer_email=business.email)
    payment_receive(payment_id=payment.pk, amount=payment.amount - ONE, received_on=date.today())

    payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="cn-1")

    payment.refresh_from_db()
    assert (payment.status, payment.balance_due) == ("settled", 0)
    assert customer_outstanding_balance(customer_id=business.pk) == 0


@pytest.mark.parametrize("method", ["cash", "bank_transfer"])
def test_cash_and_bank_transfer_refunds_are_recorded_by_hand(order_in_state, method):
    # given a paid cash or bank transfer order
    if method == "cash":
        payment = _captured(order_in_state, payment_method="cash", payment_token="", channel="in_store")
    else:
        payment = order_in_state("credit_approved").payments.get()
        payment = payment_record_funds(payment_id=payment.pk, reference="BT-1")

    # when finance records that it paid part back
    refund = payment_refund(
        payment_id=payment.pk,
        amount=ONE,
        reason="not_as_described",
        reference="TILL-7",
        key="m-1",
        recorded_by="fiona",
        refunded_on=date(2026, 3, 4),
    )

    # then who, when and the reference are on the refund and on a succeeded transaction
    assert (refund.kind, refund.status, refund.recorded_by, refund.reference) == (
        "manual",
        "succeeded",
        "fiona",
        "TILL-7",
    )
    tx = refund.transaction
    assert (tx.kind, tx.outcome, tx.amount, tx.reference) == ("refund", "succeeded", ONE, "TILL-7")
    assert tx.message == "Paid back by fiona 04 Mar 2026"
    payment.refresh_from_db()
    assert payment.refunded_amount == ONE


def test_settling_an_invoice_after_a_credit_note_receives_only_the_rest(order_in_state):
    from payments.models import PaymentReceipt
    from payments.services import payment_settle

    business = CustomerFactory(payment_terms="on_account", credit_limit=Decimal("1000.00"))
    payment = _captured(order_in_state, payment_method="on_account", payment_token="", customer_email=business.email)
    payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="cn-1")

    payment = payment_settle(payment_id=payment.pk, received_on=date.today(), reference="BANK-1")

    assert (payment.status, payment.balance_due) == ("settled", 0)
    assert list(PaymentReceipt.objects.filter(payment=payment).values_list("amount", flat=True)) == [
        payment.amount - ONE
    ]
    assert customer_outstanding_balance(customer_id=business.pk) == 0
