"""A card order's authorization follows an edit: authorized again (and the old one voided) when the total grows
past it, captured for less when it shrinks; a declined card refuses the edit and the order stays as it was."""

from decimal import Decimal

import pytest

from orders import services
from orders.exceptions import InvalidOrder
from orders.models import Order
from payments.exceptions import PaymentDeclined
from payments.gateways import GatewayResult, TestCardGateway
from payments.models import GatewayTransaction, Payment
from tests.factories import StaffFactory
from tests.orders.changes.conftest import assert_stock_matches_lines, change_note, lines_of

pytestmark = pytest.mark.django_db


def test_a_larger_total_authorizes_the_card_again_and_voids_the_old_authorization(confirmed, commit):
    # given a card order of 49.95 (2 mugs, 1 tee, shipping), authorized
    order = confirmed()
    payment = Payment.objects.get(order=order)
    old_reference = payment.gateway_reference
    assert (payment.status, payment.authorized_amount) == ("authorized", Decimal("49.95"))

    # when the mugs go to 5 (total 87.45)
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 5), ("TEE-1", 1)], actor="test")

    # then the card is authorized for 87.45 under a new reference and the old authorization is voided
    payment.refresh_from_db()
    assert (payment.status, payment.amount, payment.authorized_amount) == (
        "authorized",
        Decimal("87.45"),
        Decimal("87.45"),
    )
    assert payment.gateway_reference != old_reference
    calls = list(payment.transactions.order_by("pk").values_list("kind", "outcome", "amount"))
    assert calls[-2:] == [("authorize", "succeeded", Decimal("87.45")), ("void", "succeeded", Decimal("49.95"))]
    assert old_reference in payment.transactions.get(kind="void").idempotency_key
    # and the order's payment summary and timeline say so
    order = Order.objects.get(pk=order.pk)
    assert (order.total, order.amount_authorized, order.balance_due) == (Decimal("87.45"), Decimal("87.45"), 0)
    assert change_note(order) == (
        "Lines changed: MUG-1 2→5; total 49.95 → 87.45 USD. Card authorized again for 87.45 USD; "
        "the earlier authorization of 49.95 is voided."
    )


def test_a_declined_card_refuses_the_edit_and_changes_nothing(confirmed, commit, order_snapshot, monkeypatch):
    # given a confirmed card order, and a card that declines any new authorization (the gateway's answer)
    order = confirmed()
    before = order_snapshot(order)
    declined = GatewayResult("declined", error_code="card_declined", message="The card was declined.")
    monkeypatch.setattr(TestCardGateway, "authorize", lambda self, **call: declined)

    # when the mugs go to 5
    with commit(), pytest.raises(PaymentDeclined) as refused:
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 5), ("TEE-1", 1)], actor="test")

    # then the edit is refused with the card's words, and the order, its stock and its payment are as they were
    assert refused.value.message == "The card was declined."
    assert order_snapshot(order) == before
    assert lines_of(order) == {"MUG-1": 2, "TEE-1": 1}
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.authorized_amount) == (Decimal("49.95"), Decimal("49.95"))
    # only the gateway's log keeps the declined attempt
    assert payment.transactions.filter(kind="authorize", outcome="declined", amount=Decimal("87.45")).exists()


def test_a_smaller_total_releases_the_difference_and_captures_only_the_new_total(confirmed, commit):
    # given a card order of 49.95, authorized
    order = confirmed()

    # when a mug is taken off (total 37.45)
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 1), ("TEE-1", 1)], actor="test")

    # then the payment will capture 37.45 of the 49.95 authorized, and the timeline says 12.50 is released
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.authorized_amount) == (Decimal("37.45"), Decimal("49.95"))
    assert "37.45 USD of the 49.95 authorized will be captured; 12.50 is released." in change_note(order)
    assert not payment.transactions.filter(kind="authorize", amount=Decimal("37.45")).exists()

    # and when the order ships, 37.45 is captured
    clerk = StaffFactory(role="manager")
    for step in ("start_fulfillment", "ship"):
        with commit():
            services.order_transition(order_id=order.pk, name=step, user=clerk)
    payment.refresh_from_db()
    assert (payment.status, payment.captured_amount) == ("captured", Decimal("37.45"))
    assert GatewayTransaction.objects.get(payment=payment, kind="capture").amount == Decimal("37.45")
    order = Order.objects.get(pk=order.pk)
    assert (order.amount_captured, order.balance_due, order.refund_due) == (Decimal("37.45"), 0, 0)


def test_growing_within_what_is_authorized_needs_no_new_authorization(confirmed, commit):
    # given an order shrunk from 49.95 to 37.45 (49.95 still authorized)
    order = confirmed()
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 1), ("TEE-1", 1)], actor="test")

    # when it grows back to 49.95
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 2), ("TEE-1", 1)], actor="test")

    # then the authorization it has covers it: no gateway call, the amount to capture is 49.95 again
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.authorized_amount) == (Decimal("49.95"), Decimal("49.95"))
    assert list(payment.transactions.values_list("kind", flat=True)) == ["authorize"]
    assert_stock_matches_lines(order)


def test_an_increase_the_stock_refuses_never_reaches_the_card(confirmed, order_snapshot):
    # given a confirmed card order with 1 cap (3 in stock)
    order = confirmed(lines=[("MUG-1", 2), ("CAP-1", 1)])
    before = order_snapshot(order)

    # when the caps go to 9: more than the card holds and more than there is
    with pytest.raises(InvalidOrder) as refused:
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 2), ("CAP-1", 9)], actor="test")

    # then it is refused for stock, and the card was not asked for anything
    assert refused.value.fields == {"lines": {"1": {"quantity": ["Only 3 available."]}}}
    assert list(Payment.objects.get(order=order).transactions.values_list("kind", flat=True)) == ["authorize"]
    assert order_snapshot(order) == before
