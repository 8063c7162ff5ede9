"""Recording that a customer paid an on-account invoice: the debt is settled once, and credit frees up."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from oms.exceptions import ConflictError, InvalidInput
from orders import services
from orders.exceptions import TransitionForbidden
from orders.models import Customer, Order
from payments.models import GatewayTransaction, Payment
from payments.services import customer_outstanding_balance
from tests.factories import StaffFactory


@pytest.fixture
def finance(db):
    return StaffFactory(role="finance", username="fiona")


def test_settling_marks_the_invoice_paid_and_the_debt_gone(on_account_order, finance, business):
    # given a confirmed on-account order: its invoice is open and counts as owed
    order = on_account_order()
    assert (order.status, order.payment_status) == ("confirmed", "authorized")
    assert customer_outstanding_balance(customer_id=business.pk) == order.total
    received = timezone.localdate()

    # when
    services.order_invoice_settle(order_id=order.pk, user=finance, received_on=received, reference="BT-2024-0042")

    # then the payment is settled with a transaction for it, and the customer owes nothing
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.captured_amount, payment.settled_on) == ("settled", order.total, received)
    settle = GatewayTransaction.objects.get(payment=payment, kind="settle")
    assert (settle.outcome, settle.amount, settle.reference) == ("succeeded", order.total, "BT-2024-0042")
    assert customer_outstanding_balance(customer_id=business.pk) == Decimal("0.00")
    # the order's payment summary shows it, and the timeline says who recorded it
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.payment_status, order.amount_captured) == ("confirmed", "settled", order.total)
    event = order.events.order_by("-pk").first()
    assert event.actor == "fiona"
    assert f"Invoice paid: {order.total} {order.currency} received" in event.note
    assert "reference BT-2024-0042" in event.note
    assert f"now owes 0.00 {order.currency}" in event.note


def test_the_date_defaults_to_today(on_account_order, finance):
    order = on_account_order()

    services.order_invoice_settle(order_id=order.pk, user=finance)

    assert Payment.objects.get(order=order).settled_on == timezone.localdate()


def test_settling_frees_credit_for_an_order_held_over_the_limit(on_account_order, finance, business, commit):
    # given a limit that fits one order: the first is confirmed, the second held for credit
    first = on_account_order()
    Customer.objects.filter(pk=business.pk).update(credit_limit=first.total)
    second = on_account_order()
    assert (second.status, second.hold_reason) == ("on_hold", "credit")

    # when finance records that the first invoice was paid, then releases the second
    services.order_invoice_settle(order_id=first.pk, user=finance)
    with commit():
        services.order_transition(order_id=second.pk, name="release", user=finance)

    # then the second passes its credit check and is confirmed on account
    second = Order.objects.get(pk=second.pk)
    assert (second.status, second.payment_status) == ("confirmed", "authorized")
    assert "0.00 outstanding" in second.events.get(to_status="credit_approved", actor="system").note
    assert customer_outstanding_balance(customer_id=business.pk) == second.total


def test_recording_twice_is_refused_and_never_doubled(on_account_order, finance, order_snapshot):
    # given
    order = on_account_order()
    services.order_invoice_settle(order_id=order.pk, user=finance, reference="first")
    before = order_snapshot(order)

    # when
    with pytest.raises(ConflictError) as refused:
        services.order_invoice_settle(order_id=order.pk, user=finance, reference="second")

    # then
    assert refused.value.code == "invoice_already_settled"
    assert "already recorded as paid" in refused.value.message
    assert order_snapshot(order) == before
    assert GatewayTransaction.objects.filter(payment__order=order, kind="settle").count() == 1


def test_the_payment_service_itself_refuses_a_second_settlement(on_account_order):
    """The fixed idempotency key is the last guard: even a caller that skips the status check cannot double."""
    order = on_account_order()
    payment = Payment.objects.get(order=order)
    from payments.services import payment_settle

    payment_settle(payment_id=payment.pk, received_on=timezone.localdate())
    Payment.objects.filter(pk=payment.pk).update(status="authorized")  # as if a racing request read it open

    with pytest.raises(ConflictError):
        payment_settle(payment_id=payment.pk, received_on=timezone.localdate())
    assert GatewayTransaction.objects.filter(payment=payment, kind="settle").count() == 1


def test_a_shipped_order_with_its_payment_captured_can_be_settled(on_account_order, finance, commit, business):
    # given an on-account order shipped, so its invoice was captured
    order = on_account_order()
    clerk = StaffFactory(role="manager")
    with commit():
        services.order_transition(order_id=order.pk, name="start_fulfillment", user=clerk)
    with commit():
        services.order_transition(order_id=order.pk, name="ship", user=clerk)
    assert Order.objects.get(pk=order.pk).payment_status == "captured"

    # when
    services.order_invoice_settle(order_id=order.pk, user=finance)

    # then
    assert Order.objects.get(pk=order.pk).payment_status == "settled"
    assert customer_outstanding_balance(customer_id=business.pk) == Decimal("0.00")


def test_cancelling_a_settled_order_refunds_the_customer(on_account_order, finance, commit):
    # given
    order = on_account_order()
    services.order_invoice_settle(order_id=order.pk, user=finance)

    # when
    with commit():
        services.order_transition(order_id=order.pk, name="cancel", user=finance, reason="Customer changed mind")

    # then the money they paid comes back
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.refunded_amount) == ("refunded", order.total)
    assert Order.objects.get(pk=order.pk).payment_status == "refunded"


def test_a_card_order_has_no_invoice_to_settle(order_in_state, finance, order_snapshot):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    with pytest.raises(ConflictError) as refused:
        services.order_invoice_settle(order_id=order.pk, user=finance)

    assert refused.value.code == "not_on_account"
    assert "paid by card, not on account" in refused.value.message
    assert order_snapshot(order) == before


def test_a_cancelled_order_is_refused(on_account_order, finance, order_snapshot):
    order = on_account_order()
    services.order_transition(order_id=order.pk, name="cancel", user=finance, reason="x")  # payment not voided yet
    assert Payment.objects.get(order=order).status == "authorized"
    before = order_snapshot(order)

    with pytest.raises(ConflictError) as refused:
        services.order_invoice_settle(order_id=order.pk, user=finance)

    assert refused.value.code == "order_cancelled"
    assert order_snapshot(order) == before


def test_an_order_held_for_credit_has_no_invoice_yet(on_account_order, finance, business, order_snapshot):
    Customer.objects.filter(pk=business.pk).update(credit_limit=Decimal("1.00"))
    order = on_account_order()
    assert (order.status, order.hold_reason) == ("on_hold", "credit")
    before = order_snapshot(order)

    with pytest.raises(ConflictError) as refused:
        services.order_invoice_settle(order_id=order.pk, user=finance)

    assert refused.value.code == "no_open_invoice"
    assert order_snapshot(order) == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"received_on": timezone.localdate() + timedelta(days=1)}, "received_on", "in the future"),
        ({"received_on": timezone.localdate() - timedelta(days=3)}, "received_on", "placed on"),
        ({"reference": "x" * 101}, "reference", "At most 100"),
        ({"reference": "BT\x00"}, "reference", "printable"),
        ({"reference": "line\nbreak"}, "reference", "printable"),
    ],
)
def test_bad_input_is_refused_beside_its_field(on_account_order, finance, order_snapshot, fields, field, message):
    order = on_account_order()
    before = order_snapshot(order)

    with pytest.raises(InvalidInput) as refused:
        services.order_invoice_settle(order_id=order.pk, user=finance, **fields)

    assert message in refused.value.fields[field][0]
    assert order_snapshot(order) == before


@pytest.mark.parametrize("role", ["order desk", "warehouse", "support", None])
def test_only_finance_and_managers_may_record(on_account_order, order_snapshot, role):
    order = on_account_order()
    before = order_snapshot(order)

    with pytest.raises(TransitionForbidden):
        services.order_invoice_settle(order_id=order.pk, user=StaffFactory(role=role))

    assert order_snapshot(order) == before
