"""Returnless refunds: a reason the policy lists, or an item worth at most the threshold, is refunded (or
exchanged) without the goods coming back, skipping receipt and inspection; anything else must come back."""

from decimal import Decimal

import pytest

from inventory.models import StockMovement
from returns.exceptions import ReturnTransitionNotAvailable
from returns.models import ReturnRequest
from returns.services.resolution import return_refund
from tests.factories import StaffFactory, return_request_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(db):
    return StaffFactory(role="finance", username="fiona")


def _opened(order, reason: str, commit) -> ReturnRequest:
    with commit():
        created = return_request_open(order, lines=[("MUG-1", 1, reason)])
    return ReturnRequest.objects.get(pk=created.pk)


def test_a_returnless_reason_is_refunded_at_once(delivered_order, finance, commit, settings):
    # given a policy that lets damaged goods be kept (and authorizes them at once)
    settings.OMS_RETURNLESS_REASONS = ["damaged"]
    return_request = _opened(delivered_order(quantity=1), "damaged", commit)
    assert (return_request.status, return_request.returnless) == ("authorized", True)
    movements = StockMovement.objects.count()

    # when finance refunds it without receiving anything
    with commit():
        return_refund(return_request=return_request, user=finance)

    # then the line is refunded and no stock moved
    return_request.refresh_from_db()
    assert return_request.status == "refunded"
    assert return_request.refund_total >= Decimal("12.50")
    assert StockMovement.objects.count() == movements


def test_an_item_below_the_threshold_is_returnless(delivered_order, finance, commit, settings):
    settings.OMS_RETURNLESS_MAX_VALUE = "20.00"
    return_request = _opened(delivered_order(quantity=1), "no_longer_needed", commit)
    assert return_request.returnless
    with commit():
        from returns import services

        services.return_transition(return_request=return_request, name="authorize", user=StaffFactory(role="manager"))

    with commit():
        return_refund(return_request=ReturnRequest.objects.get(pk=return_request.pk), user=finance)

    assert ReturnRequest.objects.get(pk=return_request.pk).refund_total == Decimal("12.50")


def test_goods_that_must_come_back_are_not_refunded_before(delivered_order, finance, commit, settings):
    settings.OMS_RETURN_AUTO_AUTHORIZE_REASONS = ["no_longer_needed"]
    return_request = _opened(delivered_order(quantity=1), "no_longer_needed", commit)
    assert (return_request.status, return_request.returnless) == ("authorized", False)

    with pytest.raises(ReturnTransitionNotAvailable):
        return_refund(return_request=return_request, user=finance)

    assert ReturnRequest.objects.get(pk=return_request.pk).status == "authorized"
