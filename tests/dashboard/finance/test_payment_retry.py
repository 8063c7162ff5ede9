"""Paying an order held for a failed payment with a new card: a new payment, released, charged at once."""

import pytest

from oms.exceptions import ConflictError, InvalidInput
from orders import services
from orders.exceptions import TransitionForbidden
from orders.models import Order
from payments.models import Payment
from tests.factories import StaffFactory


@pytest.fixture
def clerk(db):
    return StaffFactory(role="order desk", username="dana")


def retry(order, token, user):
    return services.order_payment_retry(order_id=order.pk, token=token, actor=user.username, user=user)


def test_a_good_card_confirms_the_order_with_a_new_payment(declined_order, clerk, commit, mailoutbox):
    # given an order whose card was declined
    order = declined_order()
    mailoutbox.clear()

    # when the desk enters a new card
    with commit():
        result = retry(order, "tok_ok", clerk)

    # then the order is confirmed at once, paid by a new payment; the declined one stays as it was
    assert result.status == "confirmed"
    old, new = Payment.objects.filter(order=order).order_by("pk")
    assert (old.status, old.token) == ("declined", "tok_decline")
    assert (new.status, new.token, new.authorized_amount) == ("authorized", "tok_ok", order.total)
    order = Order.objects.get(pk=order.pk)
    assert (order.hold_reason, order.held_from, order.payment_status) == ("", "", "authorized")
    # the timeline tells what happened
    steps = list(order.events.exclude(to_status="").values_list("actor", "from_status", "to_status", "note"))[-3:]
    assert steps == [
        ("dana", "on_hold", "credit_approved", "New card entered; retrying the payment"),
        ("system", "credit_approved", "paid", "Card authorized"),
        ("system", "paid", "confirmed", "Confirmation email queued"),
    ]
    assert len(mailoutbox) == 1  # the confirmation


def test_a_declined_card_puts_the_order_back_on_hold(declined_order, clerk, commit):
    # given
    order = declined_order()

    # when the new card is declined too
    with commit():
        result = retry(order, "tok_decline", clerk)

    # then
    assert (result.status, result.hold_reason, result.held_from) == ("on_hold", "payment_failed", "credit_approved")
    assert result.hold_note == "The card was declined."
    assert list(Payment.objects.filter(order=order).values_list("status", flat=True)) == ["declined", "declined"]
    last = Order.objects.get(pk=order.pk).events.exclude(to_status="").order_by("-pk").first()
    assert (last.actor, last.from_status, last.to_status) == ("system", "credit_approved", "on_hold")
    # and the customer is told of this hold too (one on-hold email per hold)
    assert Order.objects.get(pk=order.pk).events.filter(note="Emailed the customer: on hold").count() == 2


def test_it_can_be_retried_again_after_a_second_decline(declined_order, clerk):
    order = declined_order()
    retry(order, "tok_garbage", clerk)

    result = retry(order, "tok_ok", clerk)

    assert result.status == "confirmed"
    assert Payment.objects.filter(order=order).count() == 3


def test_without_an_answer_from_the_gateway_the_queued_payment_task_finishes_the_job(
    declined_order, clerk, commit, settings
):
    # given a gateway that does not answer, and no retries left for the queued task
    settings.OMS_PAYMENT_MAX_RETRIES = 0
    order = declined_order()

    # when
    with commit():
        result = retry(order, "tok_timeout", clerk)
        # then the immediate attempt got no answer: the order waits for the payment task
        assert result.status == "credit_approved"

    # and the task, after commit, gave up and held the order for staff
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.hold_reason) == ("on_hold", "payment_failed")
    assert "Gave up after 0 retries" in order.hold_note


def test_a_payment_that_never_got_an_answer_is_voided_when_replaced(declined_order, clerk, settings):
    settings.OMS_PAYMENT_MAX_RETRIES = 0
    order = declined_order(token="tok_timeout")
    assert Payment.objects.get(order=order).status == "pending"

    retry(order, "tok_ok", clerk)

    assert list(Payment.objects.filter(order=order).order_by("pk").values_list("status", flat=True)) == [
        "voided",
        "authorized",
    ]


def test_an_order_paid_otherwise_before_gets_paid_by_card(order_in_state, clerk):
    # given a bank transfer that never came, held by staff as a failed payment
    order = order_in_state("credit_approved")
    services.order_transition(order_id=order.pk, name="hold", user=clerk, hold_reason="payment_failed", reason="x")

    # when
    result = retry(order, "tok_ok", clerk)

    # then
    assert (result.status, result.payment_method) == ("confirmed", "card")
    assert list(Payment.objects.filter(order=order).order_by("pk").values_list("method", "status")) == [
        ("bank_transfer", "voided"),
        ("card", "authorized"),
    ]
    assert "(was bank transfer)" in result.events.get(actor=clerk.username, to_status="credit_approved").note


@pytest.mark.parametrize(
    "state_and_reason", [("confirmed", None), ("on_hold", "fraud_review"), ("cancelled", None), ("shipped", None)]
)
def test_an_order_not_held_for_a_failed_payment_is_refused(order_in_state, clerk, order_snapshot, state_and_reason):
    state, _ = state_and_reason
    order = order_in_state(state)
    before = order_snapshot(order)

    with pytest.raises(ConflictError) as refused:
        retry(order, "tok_ok", clerk)

    assert refused.value.code == "payment_not_failed"
    assert "only an order on hold because its payment failed" in refused.value.message
    assert order_snapshot(order) == before


def test_a_payment_failed_hold_from_a_later_stage_is_refused(order_in_state, clerk, order_snapshot):
    """Held from confirmed, the order was paid already: releasing it, not a new card, is the answer."""
    order = order_in_state("confirmed")
    services.order_transition(order_id=order.pk, name="hold", user=clerk, hold_reason="payment_failed", reason="x")
    before = order_snapshot(order)

    with pytest.raises(ConflictError):
        retry(order, "tok_ok", clerk)

    assert order_snapshot(order) == before


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "Enter the new card's token."),
        ("   ", "Enter the new card's token."),
        ("tok " + "ok", "without spaces"),
        ("tok_\x00ok", "control characters"),
        ("tok_ü", "letters, digits and punctuation"),
        ("t" * 101, "at most 100 characters"),
    ],
)
def test_a_bad_token_is_refused_and_nothing_changes(declined_order, clerk, order_snapshot, token, message):
    order = declined_order()
    before = order_snapshot(order)

    with pytest.raises(InvalidInput) as refused:
        retry(order, token, clerk)

    assert message in refused.value.fields["token"][0]
    assert order_snapshot(order) == before


@pytest.mark.parametrize("role", ["warehouse", None])
def test_staff_who_may_not_release_holds_may_not_retry(declined_order, order_snapshot, role):
    order = declined_order()
    user = StaffFactory(role=role)
    before = order_snapshot(order)

    with pytest.raises(TransitionForbidden):
        retry(order, "tok_ok", user)

    assert order_snapshot(order) == before


def test_a_storefront_retries_without_a_staff_user(declined_order):
    order = declined_order()

    result = services.order_payment_retry(order_id=order.pk, token="tok_ok", actor="storefront:shop")

    assert result.status == "confirmed"
    assert result.events.filter(actor="storefront:shop", to_status="credit_approved").exists()
