"""Claims: a parcel lost or damaged on the way is reshipped at no charge or refunded without goods coming back,
both on the order's timeline; a claim on goods not shipped, or a bad quantity, changes nothing."""

from decimal import Decimal

import pytest

from inventory.models import StockItem
from oms.exceptions import ConflictError, InvalidInput
from payments.models import Payment
from returns.exceptions import ReturnTransitionForbidden
from returns.services.claims import claim_refund, claim_reship
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    return StaffFactory(role="manager", username="mia")


def test_a_lost_parcel_is_reshipped_at_no_charge(order_in_state, mug, warehouse, manager, commit):
    # given a shipped order of two mugs whose parcel the carrier lost
    order = order_in_state("in_transit", lines=[("MUG-1", 2)])
    reserved = StockItem.objects.get(product=mug, warehouse=warehouse).reserved

    # when staff reship them
    with commit():
        replacement = claim_reship(order=order, lines=[{"sku": "MUG-1", "quantity": 2}], user=manager, note="Lost")

    # then a replacement order reserves the stock and charges nothing, and the timeline says so
    replacement.refresh_from_db()
    assert replacement.status == "confirmed"
    assert StockItem.objects.get(product=mug, warehouse=warehouse).reserved == reserved + 2
    assert Payment.objects.get(order=replacement).amount == 0
    assert order.events.filter(
        note=f"Claim: reshipped 2 × MUG-1 at no charge as order {replacement.number}. Lost"
    ).exists()


def test_a_damaged_parcel_is_refunded_without_the_goods(order_in_state, mug, manager):
    order = order_in_state("delivered", lines=[("MUG-1", 2)])

    amount = claim_refund(order=order, lines=[("MUG-1", 1)], user=manager, note="Photo of the broken mug")

    assert amount == Decimal("12.50")  # no tax configured for DE in this test
    order.refresh_from_db()
    assert order.amount_refunded == amount
    assert order.events.filter(note__startswith="Claim: 1 × MUG-1 refunded 12.50").exists()


def test_claims_on_goods_not_shipped_or_bad_quantities_change_nothing(order_in_state, mug, manager, order_snapshot):
    confirmed = order_in_state("confirmed", lines=[("MUG-1", 1)])
    delivered = order_in_state("delivered", lines=[("MUG-1", 1)])
    before = [order_snapshot(confirmed), order_snapshot(delivered)]

    with pytest.raises(ConflictError):
        claim_reship(order=confirmed, lines=[("MUG-1", 1)], user=manager, note="")
    with pytest.raises(InvalidInput) as refused:
        claim_refund(order=delivered, lines=[("MUG-1", 2)], user=manager, note="")
    assert "lines" in refused.value.fields
    with pytest.raises(ReturnTransitionForbidden):
        claim_refund(order=delivered, lines=[("MUG-1", 1)], user=StaffFactory(role="warehouse"), note="")

    assert [order_snapshot(confirmed), order_snapshot(delivered)] == before
