"""Who may take which staff transition: a role × transition matrix over the groups from dashboard/roles.py."""

import pytest

from orders.models import OrderEvent

# The state each transition is allowed from, so the only thing that can refuse it is the permission.
SOURCE = {
    "mark_paid": "credit_approved",
    "start_fulfillment": "confirmed",
    "ship": "fulfilling",
    "complete": "delivered",
    "cancel": "confirmed",
    "hold": "confirmed",
    "release": "on_hold",
}
ROLES = {
    "order desk": {"start_fulfillment", "ship", "cancel", "hold", "release"},
    "warehouse": {"start_fulfillment", "ship"},
    "finance": {"mark_paid", "cancel", "hold", "release"},
    "support": {"cancel", "hold", "release"},
    "manager": set(SOURCE),
    None: set(),  # staff with no role
}


@pytest.mark.parametrize("name", SOURCE)
@pytest.mark.parametrize("role", ROLES)
def test_role_may_take_exactly_its_transitions(role, name, order_in_state, staff_api, order_snapshot, commit):
    # given
    order = order_in_state(SOURCE[name])
    client = staff_api(role)
    before = order_snapshot(order)

    # when
    with commit():
        response = client.post(f"/api/v1/orders/{order.number}/transitions/{name}/", {"reason": "other"}, format="json")

    # then
    if name in ROLES[role]:
        assert response.status_code == 200, response.content
        assert OrderEvent.objects.filter(order=order, actor=client.user.username, from_status=SOURCE[name]).exists()
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
        assert order_snapshot(order) == before


@pytest.mark.parametrize(("role", "allowed"), [("warehouse", False), ("order desk", True), ("support", True)])
def test_staff_cancel_endpoint_checks_the_cancel_permission(role, allowed, order_in_state, staff_api, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = staff_api(role).post(f"/api/v1/orders/{order.number}/cancel/", format="json")

    # then
    if allowed:
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
    else:
        assert response.status_code == 403
        assert order_snapshot(order) == before


STAFF_ENDPOINTS = [
    ("get", "/api/v1/orders/{number}/transitions/"),
    ("post", "/api/v1/orders/{number}/transitions/cancel/"),
    ("post", "/api/v1/orders/{number}/transitions/start_fulfillment/"),
    ("get", "/api/v1/orders/{number}/pick-list/"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_storefront_keys_get_403_on_staff_endpoints(method, path, api, storefront, order_in_state, order_snapshot):
    # given the storefront's own order
    order = order_in_state("confirmed", storefront_id=storefront.pk)
    before = order_snapshot(order)

    # when
    response = getattr(api, method)(path.format(number=order.number), format="json")

    # then
    assert response.status_code == 403
    assert order_snapshot(order) == before


@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_a_token_of_a_non_staff_user_gets_403(method, path, order_in_state, staff_api, order_snapshot):
    # given a user who was staff when the token was issued and is no longer
    order = order_in_state("confirmed")
    client = staff_api("manager")
    client.user.is_staff = False
    client.user.save(update_fields=["is_staff"])
    before = order_snapshot(order)

    # when
    response = getattr(client, method)(path.format(number=order.number), format="json")

    # then
    assert response.status_code == 403
    assert order_snapshot(order) == before


@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_anonymous_calls_get_401(method, path, client, order_in_state, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = getattr(client, method)(path.format(number=order.number))

    # then
    assert response.status_code == 401
    assert order_snapshot(order) == before
