"""Two finance clerks refunding one return at the same moment (PostgreSQL): the money goes back once."""

import pytest

from oms.exceptions import ConflictError
from payments.models import Payment, Refund
from returns.models import ReturnRequest
from returns.services.resolution import return_refund
from tests.factories import StaffFactory


@pytest.mark.django_db(transaction=True)
def test_a_return_refunded_twice_at_once_is_refunded_once(postgres_only, return_in_state, parallel):
    # given an inspected return and two finance clerks
    return_request = return_in_state("inspected")
    clerks = [StaffFactory(role="finance"), StaffFactory(role="finance")]

    # when both refund it at once
    results = parallel(
        [lambda user=user: return_refund(return_request=return_request, user=user) for user in clerks],
        catch=(ConflictError,),
    )

    # then one refund went through; the other was told the return is busy or already refunded
    done = [r for r in results if isinstance(r, ReturnRequest)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert (len(done), len(refused)) == (1, 1)
    refunded = ReturnRequest.objects.get(pk=return_request.pk)
    payment = Payment.objects.get(order=return_request.order)
    assert Refund.objects.filter(payment=payment).count() == 1
    assert payment.refunded_amount == refunded.refund_total > 0
