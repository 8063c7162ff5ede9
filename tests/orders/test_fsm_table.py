"""The lifecycle table itself: which transition is allowed from which state, and where it leads.

The expected table is written out here on purpose (not imported), so a change to the FSM shows up as a
failing row. Transition methods are pure, so these tests need no database.
"""

from datetime import UTC, datetime

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from orders.models import Order

STATES = [
    "placed", "verified", "credit_approved", "paid", "confirmed", "fulfilling",
    "shipped", "in_transit", "delivered", "completed", "on_hold", "cancelled",
]  # fmt: skip
BEFORE_SHIPPING = ["placed", "verified", "credit_approved", "paid", "confirmed"]
AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

# transition -> ({source: target}, keyword arguments)
TABLE = {
    "verify": ({"placed": "verified"}, {}),
    "approve_credit": ({"verified": "credit_approved"}, {}),
    "pay": ({"credit_approved": "paid"}, {}),
    "confirm": ({"paid": "confirmed"}, {}),
    "mark_in_transit": ({"shipped": "in_transit"}, {}),
    "mark_delivered": ({"in_transit": "delivered"}, {"at": AT}),
    "mark_paid": ({"credit_approved": "paid"}, {}),
    "start_fulfillment": ({"confirmed": "fulfilling"}, {}),
    "ship": ({"fulfilling": "shipped"}, {"at": AT}),
    "complete": ({"delivered": "completed"}, {"at": AT}),
    "cancel": ({s: "cancelled" for s in [*BEFORE_SHIPPING, "fulfilling", "on_hold"]}, {"at": AT}),
    "hold": ({s: "on_hold" for s in BEFORE_SHIPPING}, {"reason": "other", "detail": "checking"}),
    "release": ({"on_hold": "confirmed"}, {}),  # back to where it was held (here: confirmed)
}


def order_in(status: str) -> Order:
    """An unsaved order in ``status``, with what the guarded transitions look at set so they could pass."""
    return Order(status=status, payment_status="awaiting_funds", held_from="confirmed" if status == "on_hold" else "")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", TABLE)
def test_transition_is_allowed_exactly_from_its_sources(name, state):
    # given
    sources, kwargs = TABLE[name]
    order = order_in(state)

    # when / then
    if state in sources:
        assert can_proceed(getattr(order, name))
        getattr(order, name)(**kwargs)
        assert order.status == sources[state]
    else:
        assert not can_proceed(getattr(order, name))
        with pytest.raises(TransitionNotAllowed):
            getattr(order, name)(**kwargs)
        assert order.status == state


@pytest.mark.parametrize("payment_status", ["pending", "authorized", "declined", "captured"])
def test_mark_paid_needs_a_payment_awaiting_funds(payment_status):
    # given a card order between credit check and payment
    order = Order(status="credit_approved", payment_status=payment_status)

    # when / then
    assert not can_proceed(order.mark_paid)
    with pytest.raises(TransitionNotAllowed):
        order.mark_paid()
    assert order.status == "credit_approved"


@pytest.mark.parametrize("state", BEFORE_SHIPPING)
def test_release_returns_the_order_to_the_stage_it_was_held_in(state):
    # given
    order = Order(status=state)
    order.hold(reason="fraud_review", detail="looks odd")
    assert (order.status, order.held_from, order.hold_reason) == ("on_hold", state, "fraud_review")

    # when
    order.release()

    # then
    assert (order.status, order.held_from, order.hold_reason, order.hold_note) == (state, "", "", "")


def test_cancelling_a_held_order_clears_the_hold():
    # given
    order = Order(status="confirmed")
    order.hold(reason="credit", detail="over limit")

    # when
    order.cancel(at=AT)

    # then
    assert (order.status, order.hold_reason, order.held_from, order.cancelled_at) == ("cancelled", "", "", AT)


@pytest.mark.parametrize(
    ("name", "field"), [("ship", "shipped_at"), ("complete", "completed_at"), ("cancel", "cancelled_at")]
)
def test_timestamped_transitions_record_when(name, field):
    # given
    source = next(iter(TABLE[name][0]))
    order = Order(status=source)

    # when
    getattr(order, name)(at=AT)

    # then
    assert getattr(order, field) == AT


def test_status_cannot_be_set_directly():
    # given
    order = Order(status="placed")

    # when / then
    with pytest.raises(AttributeError):
        order.status = "completed"
    assert order.status == "placed"
