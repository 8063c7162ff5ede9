"""Never more is refunded than was captured: an over-refund is refused with nothing written, and two
refunds at once on PostgreSQL cannot add up to more than the payment."""

from decimal import Decimal

import pytest

from oms.exceptions import ConflictError, InvalidInput
from payments.models import GatewayTransaction, Payment, Refund
from payments.services import RefundTooLarge, payment_refund

ONE = Decimal("1.00")


def _written(payment) -> tuple:
    payment.refresh_from_db()
    return (
        payment.status,
        payment.refunded_amount,
        Refund.objects.filter(payment=payment).count(),
        GatewayTransaction.objects.filter(payment=payment, kind="refund").count(),
    )


@pytest.mark.django_db
def test_more_than_captured_is_refused_and_nothing_is_written(order_in_state):
    payment = order_in_state("delivered").payments.get()
    payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-1")
    before = _written(payment)

    with pytest.raises(RefundTooLarge) as refused:
        payment_refund(payment_id=payment.pk, amount=payment.captured_amount, reason="damaged", key="r-2")

    assert "amount" in refused.value.fields
    assert _written(payment) == before


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("0.001"), Decimal("NaN")])
def test_an_amount_that_is_not_money_is_refused(order_in_state, amount):
    payment = order_in_state("delivered").payments.get()
    before = _written(payment)

    with pytest.raises(InvalidInput) as refused:
        payment_refund(payment_id=payment.pk, amount=amount, reason="damaged", key="r-1")

    assert "amount" in refused.value.fields
    assert _written(payment) == before


@pytest.mark.django_db
def test_nothing_captured_nothing_to_refund(order_in_state):
    payment = order_in_state("confirmed").payments.get()
    assert payment.status == "authorized"

    with pytest.raises(ConflictError):
        payment_refund(payment_id=payment.pk, amount=ONE, reason="damaged", key="r-1")

    assert _written(payment) == ("authorized", 0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_two_refunds_at_once_never_exceed_what_was_captured(postgres_only, order_in_state, parallel):
    # given a captured card payment
    payment = order_in_state("delivered").payments.get()
    most = payment.captured_amount - ONE

    # when two refunds that each fit, but not both, arrive at once
    results = parallel(
        [
            lambda: payment_refund(payment_id=payment.pk, amount=most, reason="damaged", key="a"),
            lambda: payment_refund(payment_id=payment.pk, amount=most, reason="damaged", key="b"),
        ],
        catch=(RefundTooLarge,),
    )

    # then one is refunded and the other refused
    assert sorted(type(r).__name__ for r in results) == ["Refund", "RefundTooLarge"]
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.refunded_amount == most
    assert GatewayTransaction.objects.filter(payment=payment, kind="refund").count() == 1
