"""A part payment: finance records less than is due; the rest stays due and only the last receipt moves the
order on. Every receipt (day, amount, bank reference) is on the payment's ledger; more than is due is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from oms.exceptions import InvalidInput
from orders import services
from orders.models import Order
from payments.models import Payment, PaymentReceipt
from payments.services import customer_outstanding_balance
from tests.factories import CustomerFactory, StaffFactory


@pytest.fixture
def finance(db):
    return StaffFactory(role="finance", username="fiona")


@pytest.fixture
def waiting(order_in_state) -> Order:
    """A bank transfer order awaiting its funds."""
    return order_in_state("credit_approved")


def _receipts(order) -> list[tuple]:
    return list(PaymentReceipt.objects.filter(payment__order=order).values_list("received_on", "amount", "reference"))


def test_a_part_of_a_bank_transfer_keeps_the_order_waiting_for_the_rest(waiting, finance):
    # given an order awaiting its bank transfer, and the customer sent part of it
    today = timezone.localdate()
    part = Decimal("1.00")

    # when finance records what arrived
    services.order_mark_paid(order_id=waiting.pk, user=finance, received_on=today, reference="BT-1", amount=part)

    # then the order still waits for its funds, with the rest due, and the receipt is on the ledger
    order = Order.objects.get(pk=waiting.pk)
    assert (order.status, order.payment_status) == ("credit_approved", "awaiting_funds")
    payment = Payment.objects.get(order=order)
    assert (payment.received_amount, payment.balance_due) == (part, order.total - part)
    assert _receipts(order) == [(today, part, "BT-1")]
    note = order.events.order_by("-pk").first().note
    assert f"Paid 1.00 of {order.total}, balance due {order.total - part} {order.currency}." in note


def test_the_receipt_that_pays_the_rest_marks_the_order_paid(waiting, finance):
    # given a first part payment
    today = timezone.localdate()
    services.order_mark_paid(order_id=waiting.pk, user=finance, amount=Decimal("1.00"), reference="BT-1")

    # when the rest arrives (the amount left empty: all that is still due)
    services.order_mark_paid(order_id=waiting.pk, user=finance, received_on=today, reference="BT-2")

    # then the order is paid and goes on, and the ledger holds both receipts, adding up to the total
    order = Order.objects.get(pk=waiting.pk)
    assert (order.status, order.payment_status, order.amount_captured) == ("confirmed", "captured", order.total)
    assert _receipts(order) == [(today, Decimal("1.00"), "BT-1"), (today, order.total - 1, "BT-2")]
    assert Payment.objects.get(order=order).received_amount == order.total


def test_an_amount_equal_to_the_rest_due_marks_it_paid(waiting, finance):
    services.order_mark_paid(order_id=waiting.pk, user=finance, amount=Decimal("1.00"))

    services.order_mark_paid(order_id=waiting.pk, user=finance, amount=waiting.total - 1)

    assert Order.objects.get(pk=waiting.pk).status == "confirmed"


@pytest.mark.parametrize("amount", ["0.00", "-1.00", "over"])
def test_more_than_is_due_or_nothing_is_refused_and_nothing_is_written(waiting, finance, amount):
    amount = waiting.total + Decimal("0.01") if amount == "over" else Decimal(amount)
    events = waiting.events.count()

    with pytest.raises(InvalidInput) as refused:
        services.order_mark_paid(order_id=waiting.pk, user=finance, amount=amount)

    assert "amount" in refused.value.fields
    order = Order.objects.get(pk=waiting.pk)
    assert (order.status, order.payment_status, order.events.count()) == ("credit_approved", "awaiting_funds", events)
    assert Payment.objects.get(order=order).received_amount == 0
    assert _receipts(order) == []


def test_more_than_the_rest_after_a_part_payment_is_refused(waiting, finance):
    services.order_mark_paid(order_id=waiting.pk, user=finance, amount=Decimal("1.00"))

    with pytest.raises(InvalidInput, match="still due"):
        services.order_mark_paid(order_id=waiting.pk, user=finance, amount=waiting.total)

    assert Payment.objects.get(order=waiting).received_amount == Decimal("1.00")


def test_a_full_payment_is_one_receipt_on_the_ledger(waiting, finance):
    yesterday = timezone.localdate() - timedelta(days=1)
    Order.objects.filter(pk=waiting.pk).update(placed_at=timezone.now() - timedelta(days=3))

    services.order_mark_paid(order_id=waiting.pk, user=finance, received_on=yesterday, reference="NL-88")

    assert _receipts(waiting) == [(yesterday, waiting.total, "NL-88")]


# --- on-account invoices ---------------------------------------------------------------------------------
@pytest.fixture
def invoiced(commit, warehouse):
    customer = CustomerFactory(payment_terms="on_account", credit_limit=Decimal("1000.00"))
    from tests.factories import OrderFactory

    with commit():
        order = OrderFactory(customer_email=customer.email, payment_method="on_account", payment_token="")
    order = Order.objects.get(pk=order.pk)
    assert order.payment_status == "authorized"
    return order


def test_a_part_payment_of_an_invoice_leaves_it_open_and_frees_that_much_credit(invoiced, finance):
    services.order_invoice_settle(order_id=invoiced.pk, user=finance, amount=Decimal("2.00"), reference="P1")

    order = Order.objects.get(pk=invoiced.pk)
    assert order.payment_status == "authorized"
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.balance_due) == ("authorized", order.total - 2)
    assert customer_outstanding_balance(customer_id=order.customer_id) == order.total - 2


def test_the_rest_of_an_invoice_settles_it(invoiced, finance):
    services.order_invoice_settle(order_id=invoiced.pk, user=finance, amount=Decimal("2.00"), reference="P1")

    services.order_invoice_settle(order_id=invoiced.pk, user=finance, reference="P2")

    payment = Payment.objects.get(order=invoiced)
    assert (payment.status, payment.received_amount) == ("settled", invoiced.total)
    assert [r[1] for r in _receipts(invoiced)] == [Decimal("2.00"), invoiced.total - 2]
    assert customer_outstanding_balance(customer_id=invoiced.customer_id) == Decimal("0.00")
    assert "the last" in Order.objects.get(pk=invoiced.pk).events.order_by("-pk").first().note


def test_more_than_an_invoice_is_refused(invoiced, finance):
    with pytest.raises(InvalidInput) as refused:
        services.order_invoice_settle(order_id=invoiced.pk, user=finance, amount=invoiced.total + 1)

    assert "amount" in refused.value.fields
    assert Payment.objects.get(order=invoiced).status == "authorized"
    assert _receipts(invoiced) == []
