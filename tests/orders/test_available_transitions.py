"""``GET /orders/<number>/transitions/`` lists exactly what this user may take on this order now."""

import pytest

# What any user could take in each state (name -> target), before permissions.
IN_STATE = {
    "credit_approved": {"mark_paid": "paid", "cancel": "cancelled", "hold": "on_hold"},  # bank transfer, awaiting funds
    "confirmed": {"start_fulfillment": "fulfilling", "cancel": "cancelled", "hold": "on_hold"},
    "on_hold": {"release": "confirmed", "cancel": "cancelled"},  # held while confirmed
    "fulfilling": {"ship": "shipped", "cancel": "cancelled"},
    "shipped": {},
    "delivered": {"complete": "completed"},
    "completed": {},
    "cancelled": {},
}
ROLES = {
    "order desk": {"start_fulfillment", "ship", "cancel", "hold", "release"},
    "warehouse": {"start_fulfillment", "ship"},
    "finance": {"mark_paid", "cancel", "hold", "release"},
    "support": {"cancel", "hold", "release"},
    "manager": {"mark_paid", "start_fulfillment", "ship", "complete", "cancel", "hold", "release"},
}  # staff with no role get 403 (tests/api/test_staff_roles.py)


@pytest.mark.parametrize("state", IN_STATE)
def test_lists_what_each_role_may_take_in_this_state(state, order_in_state, staff_api):
    # given one order in this state, looked at by every role in turn (the role × state matrix)
    order = order_in_state(state)

    for role, permitted in ROLES.items():
        # when
        response = staff_api(role).get(f"/api/v1/orders/{order.number}/transitions/")

        # then
        assert response.status_code == 200
        listed = response.json()
        expected = {name: target for name, target in IN_STATE[state].items() if name in permitted}
        assert {t["name"]: t["target"] for t in listed} == expected, role
        assert len(listed) == len(expected), role


def test_mark_paid_is_not_offered_while_a_card_payment_is_pending(db, mug, staff_api):
    # given a card order placed but not yet charged (the payment task has not run)
    from tests.factories import OrderFactory

    order = OrderFactory(lines=[("MUG-1", 1)])
    assert (order.status, order.payment_status) == ("credit_approved", "pending")

    # when
    response = staff_api("finance").get(f"/api/v1/orders/{order.number}/transitions/")

    # then
    assert {t["name"] for t in response.json()} == {"cancel", "hold"}


@pytest.mark.parametrize(("held_while", "target"), [("confirmed", "confirmed"), ("credit_approved", "credit_approved")])
def test_release_names_the_state_the_order_returns_to(held_while, target, order_in_state, staff_api):
    # given
    order = order_in_state(held_while)
    staff = staff_api("support")
    staff.post(f"/api/v1/orders/{order.number}/transitions/hold/", {"reason": "fraud_review"}, format="json")

    # when
    response = staff.get(f"/api/v1/orders/{order.number}/transitions/")

    # then
    assert {"name": "release", "target": target} in response.json()


def test_unknown_order_is_404(db, staff_api):
    response = staff_api("manager").get("/api/v1/orders/NOSUCH99/transitions/")

    assert response.status_code == 404
