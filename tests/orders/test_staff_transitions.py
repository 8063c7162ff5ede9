"""Staff transitions over HTTP: 200 when allowed, 409 (nothing changed) when not allowed in this state."""

import pytest

from orders.models import OrderEvent

STATES = [
    "credit_approved", "confirmed", "on_hold", "fulfilling", "shipped", "in_transit", "delivered", "completed",
    "cancelled",
]  # fmt: skip
# (transition, state the order is in) -> status the order ends in. Every other pair must be refused.
# mark_paid and release run the automatic stages afterwards, so they end in confirmed.
ALLOWED = {
    ("mark_paid", "credit_approved"): "confirmed",
    ("start_fulfillment", "confirmed"): "fulfilling",
    ("ship", "fulfilling"): "shipped",
    ("complete", "delivered"): "completed",
    ("cancel", "credit_approved"): "cancelled",
    ("cancel", "confirmed"): "cancelled",
    ("cancel", "on_hold"): "cancelled",
    ("cancel", "fulfilling"): "cancelled",
    ("hold", "credit_approved"): "on_hold",
    ("hold", "confirmed"): "on_hold",
    ("release", "on_hold"): "confirmed",
}
# The status the transition itself moves to (what its event records).
TARGET = {
    "mark_paid": "paid", "start_fulfillment": "fulfilling", "ship": "shipped", "complete": "completed",
    "cancel": "cancelled", "hold": "on_hold", "release": "confirmed",
}  # fmt: skip
MANUAL = list(TARGET)
AUTOMATIC = ["verify", "approve_credit", "pay", "confirm", "mark_in_transit", "mark_delivered"]


def url(number: str, name: str) -> str:
    return f"/api/v1/orders/{number}/transitions/{name}/"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", MANUAL)
def test_manual_transition_in_every_state(name, state, order_in_state, staff_api, order_snapshot, commit):
    # given
    order = order_in_state(state)
    manager = staff_api("manager")
    before = order_snapshot(order)

    # when
    with commit():
        response = manager.post(url(order.number, name), {"reason": "fraud_review"}, format="json")

    # then
    if (name, state) in ALLOWED:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == ALLOWED[(name, state)]
        order.refresh_from_db()
        assert order.status == ALLOWED[(name, state)]
        assert OrderEvent.objects.filter(
            order=order, actor=manager.user.username, from_status=state, to_status=TARGET[name]
        ).exists()
    else:
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "transition_not_allowed"
        assert order_snapshot(order) == before


@pytest.mark.parametrize("name", AUTOMATIC)
def test_automatic_stages_cannot_be_taken_by_staff(name, order_in_state, staff_api, order_snapshot):
    # given an order each automatic stage could in principle move on
    order = order_in_state("shipped" if name == "mark_in_transit" else "credit_approved")
    before = order_snapshot(order)

    # when
    response = staff_api("manager").post(url(order.number, name), format="json")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_transition"
    assert order_snapshot(order) == before


def test_unknown_transition_is_404(order_in_state, staff_api, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = staff_api("manager").post(url(order.number, "teleport"), format="json")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_transition"
    assert order_snapshot(order) == before


def test_transition_on_unknown_order_is_404(db, staff_api):
    response = staff_api("manager").post(url("NOSUCH99", "cancel"), format="json")

    assert response.status_code == 404


def test_the_reason_is_recorded_on_the_event(order_in_state, staff_api, commit):
    # given
    order = order_in_state("confirmed")

    # when
    with commit():
        response = staff_api("support").post(url(order.number, "cancel"), {"reason": "Customer called"}, format="json")

    # then
    assert response.status_code == 200
    assert [e for e in response.json()["events"] if e["to_status"] == "cancelled"][0]["note"] == "Customer called"


@pytest.mark.parametrize(
    ("reason", "hold_reason", "note"),
    [("fraud_review", "fraud_review", "Fraud review"), ("Customer asked to wait", "other", "Customer asked to wait")],
)
def test_hold_keeps_its_reason(reason, hold_reason, note, order_in_state, staff_api):
    # given
    order = order_in_state("confirmed")

    # when
    response = staff_api("order desk").post(url(order.number, "hold"), {"reason": reason}, format="json")

    # then
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.status, order.hold_reason, order.hold_note, order.held_from) == (
        "on_hold",
        hold_reason,
        note,
        "confirmed",
    )


@pytest.mark.parametrize(
    ("body", "hold_reason", "note"),
    [
        ({"hold_reason": "address_problem", "reason": "No such street"}, "address_problem", "No such street"),
        ({"hold_reason": "fraud_review"}, "fraud_review", "Fraud review"),
    ],
)
def test_hold_takes_a_reason_code_and_a_note(body, hold_reason, note, order_in_state, staff_api):
    # given
    order = order_in_state("confirmed")

    # when
    response = staff_api("order desk").post(url(order.number, "hold"), body, format="json")

    # then
    assert response.status_code == 200
    assert response.json()["hold_reason"] == hold_reason
    assert [e["note"] for e in response.json()["events"] if e["to_status"] == "on_hold"] == [note]


def test_an_unknown_hold_reason_code_is_400(order_in_state, staff_api, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = staff_api("manager").post(url(order.number, "hold"), {"hold_reason": "bored"}, format="json")

    # then
    assert response.status_code == 400
    assert "hold_reason" in response.json()
    assert order_snapshot(order) == before


@pytest.mark.parametrize("body", [{}, {"reason": "   "}])
def test_hold_without_a_reason_is_refused_as_bad_input(body, order_in_state, staff_api, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = staff_api("manager").post(url(order.number, "hold"), body, format="json")

    # then
    assert response.status_code == 400
    assert "reason" in response.json()
    assert order_snapshot(order) == before


def test_reason_longer_than_allowed_is_400(order_in_state, staff_api, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = staff_api("manager").post(url(order.number, "cancel"), {"reason": "x" * 501}, format="json")

    # then
    assert response.status_code == 400
    assert "reason" in response.json()
    assert order_snapshot(order) == before
