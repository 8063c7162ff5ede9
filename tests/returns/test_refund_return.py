"""Refunding a return: per line (unit price and its share of tax), to the original payment by its method,
partial refunds adding up and never more than was paid; the order's payment summary shows it; email once."""

from decimal import Decimal

import pytest

from oms.money import quantize
from orders import services
from orders.models import Order
from payments.models import CreditNote, Payment, Refund
from payments.selectors import customer_outstanding_balance
from returns.exceptions import ReturnTransitionForbidden, ReturnTransitionNotAvailable
from returns.models import ReturnRequest
from returns.services.resolution import refund_preview, return_refund
from tests.factories import CustomerFactory, StaffFactory, TaxRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vat(db):
    return TaxRateFactory(country="DE", rate=Decimal("0.1900"))


@pytest.fixture
def finance(db):
    return StaffFactory(role="finance", username="fiona")


def _line_amount(order: Order, quantity: int = 1) -> Decimal:
    goods = Decimal("12.50") * quantity
    return goods + quantize(order.tax_total * goods / (order.subtotal + order.shipping_total))


def _refund(return_request, user, commit):
    with commit():
        return_refund(return_request=return_request, user=user)
    return ReturnRequest.objects.get(pk=return_request.pk)


def test_an_inspected_card_return_is_refunded_per_line(return_in_state, finance, commit, mailoutbox):
    # given an inspected return of one mug of three, paid by card
    return_request = return_in_state("inspected")
    order = return_request.order
    expected = _line_amount(order)
    assert refund_preview(return_request=return_request).total == expected

    # when finance refunds it
    return_request = _refund(return_request, finance, commit)

    # then the card got the line's price and tax back, recorded on the return, its line and the order
    assert (return_request.status, return_request.refund_total) == ("refunded", expected)
    assert return_request.lines.get().refund_amount == expected
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.refunded_amount) == ("captured", expected)
    assert Refund.objects.get(payment=payment).kind == "gateway"
    order.refresh_from_db()
    assert order.amount_refunded == expected
    assert return_request.events.last().to_status == "refunded"
    assert order.events.filter(note__startswith=f"Return {return_request.number} refunded").exists()
    # and the customer is told once
    refunded = [m for m in mailoutbox if "your refund" in m.subject]
    assert len(refunded) == 1 and str(expected) in refunded[0].body


def test_partial_refunds_add_up_and_never_exceed_what_was_paid(delivered_order, return_in_state, finance, commit):
    # given a delivered order of three mugs, returned one by one
    order = delivered_order(quantity=3)
    for _ in range(3):
        _refund(return_in_state("inspected", order=order), finance, commit)

    # then the three refunds add up to the goods and their tax, within what was captured
    payment = Payment.objects.get(order=order)
    assert payment.refunded_amount == 3 * _line_amount(order)
    assert payment.refunded_amount <= payment.captured_amount
    assert list(Refund.objects.filter(payment=payment).values_list("amount", flat=True)) == [_line_amount(order)] * 3


def test_shipping_is_refunded_by_policy_once_per_order(delivered_order, return_in_state, finance, commit, settings):
    # given the shop's fault (damaged): the policy refunds the shipping, with its tax
    settings.OMS_RETURN_AUTO_AUTHORIZE_REASONS = []
    order = delivered_order(quantity=2)
    shipping = order.shipping_total + quantize(
        order.tax_total * order.shipping_total / (order.subtotal + order.shipping_total)
    )
    first = _refund(return_in_state("inspected", order=order, reason="damaged"), finance, commit)
    second = _refund(return_in_state("inspected", order=order, reason="damaged"), finance, commit)

    assert first.refund_total == _line_amount(order) + shipping
    # the second gets no shipping; its tax share rounds up a cent too many, and what was paid is the cap
    assert second.refund_total == order.total - first.refund_total
    assert Payment.objects.get(order=order).refunded_amount == order.total


def test_no_shipping_back_when_the_customer_changed_their_mind(return_in_state):
    preview = refund_preview(return_request=return_in_state("inspected", reason="no_longer_needed"))
    assert preview.shipping == 0


def test_on_account_returns_are_credit_notes(delivered_order, return_in_state, finance, commit):
    # given a delivered on-account order with its invoice open
    business = CustomerFactory(payment_terms="on_account", credit_limit=Decimal("1000.00"))
    order = delivered_order(quantity=2, payment_method="on_account", payment_token="", customer_email=business.email)
    owed = customer_outstanding_balance(customer_id=business.pk)

    # when a returned mug is refunded
    return_request = _refund(return_in_state("inspected", order=order), finance, commit)

    # then a credit note takes it off the invoice and off what the customer owes
    note = CreditNote.objects.get(payment__order=order)
    assert note.amount == return_request.refund_total == _line_amount(order)
    assert note.number.startswith("CN-")
    assert customer_outstanding_balance(customer_id=business.pk) == owed - note.amount
    assert order.events.filter(note__contains=f"as credit note {note.number}").exists()


def _paid_bank_transfer_delivered(order_in_state, carrier_event, commit):
    order = order_in_state("credit_approved", lines=[("MUG-1", 2)])
    manager = StaffFactory(role="manager")
    with commit():
        services.order_mark_paid(order_id=order.pk, user=manager)
    for step in ("start_fulfillment", "ship", "in_transit", "delivered"):
        with commit():
            if step in ("in_transit", "delivered"):
                carrier_event(order, step)
            else:
                services.order_transition(order_id=order.pk, name=step, user=manager)
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize("method", ["cash", "bank_transfer"])
def test_cash_and_bank_transfer_returns_are_recorded_manual_refunds(
    order_in_state, return_in_state, finance, commit, carrier_event, method
):
    if method == "cash":
        order = order_in_state(
            "delivered", lines=[("MUG-1", 2)], payment_method="cash", payment_token="", channel="in_store"
        )
    else:
        order = _paid_bank_transfer_delivered(order_in_state, carrier_event, commit)
    assert order.status == "delivered"
    payment = Payment.objects.get(order=order)

    _refund(return_in_state("inspected", order=order), finance, commit)

    refund = Refund.objects.get(payment=payment)
    assert (refund.kind, refund.status, refund.recorded_by, refund.amount) == (
        "manual",
        "succeeded",
        "fiona",
        _line_amount(order),
    )
    assert refund.transaction.outcome == "succeeded"


def test_a_return_not_yet_inspected_is_not_refunded(return_in_state, finance, order_snapshot):
    return_request = return_in_state("received")
    before = order_snapshot(return_request.order)

    with pytest.raises(ReturnTransitionNotAvailable):
        return_refund(return_request=return_request, user=finance)

    assert order_snapshot(return_request.order) == before
    assert not Refund.objects.exists()


def test_only_finance_refunds(return_in_state, order_snapshot):
    return_request = return_in_state("inspected")
    before = order_snapshot(return_request.order)

    with pytest.raises(ReturnTransitionForbidden):
        return_refund(return_request=return_request, user=StaffFactory(role="warehouse"))

    assert order_snapshot(return_request.order) == before
