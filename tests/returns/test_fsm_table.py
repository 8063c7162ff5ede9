"""The return's lifecycle table: which transition is allowed from which state, and where it leads.

Written out here on purpose (not imported), so a change to the FSM shows up as a failing row. Transition
methods are pure, so the table needs no database; the last test checks a refused transition through the
service changes nothing.
"""

from datetime import UTC, datetime

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from returns.exceptions import ReturnTransitionNotAvailable
from returns.models import ReturnRequest

STATES = [
    "requested", "authorized", "received", "inspected", "refunded", "exchanged", "closed", "rejected", "cancelled",
]  # fmt: skip
AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

# transition -> ({source: target}, keyword arguments), for a refund return whose goods come back
TABLE = {
    "authorize": ({"requested": "authorized"}, {"at": AT}),
    "reject": ({"requested": "rejected"}, {"reason": "Worn", "at": AT}),
    "receive": ({"authorized": "received"}, {"warehouse": None, "at": AT}),
    "inspect": ({"received": "inspected"}, {"at": AT}),
    "refund": ({"inspected": "refunded"}, {"amount": 10, "at": AT}),
    "exchange": ({}, {"replacement_order": None, "at": AT}),  # a refund return is never exchanged
    "close": ({"refunded": "closed", "exchanged": "closed"}, {"at": AT}),
    "cancel": ({"requested": "cancelled", "authorized": "cancelled"}, {"at": AT}),
}


def return_in(status: str, **fields) -> ReturnRequest:
    return ReturnRequest(status=status, resolution=fields.pop("resolution", "refund"), **fields)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", TABLE)
def test_transition_is_allowed_exactly_from_its_sources(name, state):
    # given
    sources, kwargs = TABLE[name]
    return_request = return_in(state)

    # when / then
    if state in sources:
        assert can_proceed(getattr(return_request, name))
        getattr(return_request, name)(**kwargs)
        assert return_request.status == sources[state]
    else:
        assert not can_proceed(getattr(return_request, name))
        with pytest.raises(TransitionNotAllowed):
            getattr(return_request, name)(**kwargs)
        assert return_request.status == state


@pytest.mark.parametrize("state", STATES)
def test_an_exchange_return_is_exchanged_from_inspected_and_never_refunded(state):
    # given
    return_request = return_in(state, resolution="exchange")

    # then
    assert can_proceed(return_request.exchange) == (state == "inspected")
    assert not can_proceed(return_request.refund)


@pytest.mark.parametrize(
    "name, kwargs, target, resolution",
    [
        ("refund", {"amount": 5, "at": AT}, "refunded", "refund"),
        ("exchange", {"replacement_order": None, "at": AT}, "exchanged", "exchange"),
    ],
)
def test_a_returnless_return_is_resolved_from_authorized_and_never_received(name, kwargs, target, resolution):
    # given
    return_request = return_in("authorized", resolution=resolution, returnless=True)

    # when
    assert not can_proceed(return_request.receive)
    getattr(return_request, name)(**kwargs)

    # then
    assert return_request.status == target


def test_a_return_whose_goods_come_back_is_not_refunded_before_inspection():
    assert not can_proceed(return_in("authorized").refund)
    assert not can_proceed(return_in("received").refund)


def test_the_status_is_changed_only_by_transitions():
    # given
    return_request = return_in("requested")

    # when / then
    with pytest.raises(AttributeError):
        return_request.status = "closed"


@pytest.mark.django_db
def test_a_refused_transition_through_the_service_changes_nothing(return_in_state):
    # given
    from returns import services
    from tests.factories import StaffFactory

    created = return_in_state("requested")
    before = (created.status, created.events.count(), created.order.events.count())

    # when
    with pytest.raises(ReturnTransitionNotAvailable):
        services.return_transition(return_request=created, name="close", user=StaffFactory(role="manager"))

    # then
    created.refresh_from_db()
    assert (created.status, created.events.count(), created.order.events.count()) == before
