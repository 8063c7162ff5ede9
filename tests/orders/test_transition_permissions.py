"""Who may take which staff transition: a role × transition matrix over the groups from dashboard/roles.py
(each role's transitions are in ``tests.dashboard.roles.GIVEN``, taken from the state ``TRANSITIONS`` names, so
the only thing that can refuse one is the permission)."""

import pytest

from orders.models import OrderEvent
from tests.dashboard.roles import GIVEN, TRANSITIONS


@pytest.mark.parametrize("name", TRANSITIONS)
@pytest.mark.parametrize("role", GIVEN)
def test_role_may_take_exactly_its_transitions(role, name, order_in_state, staff_api, order_snapshot, commit):
    # given
    order = order_in_state(TRANSITIONS[name])
    client = staff_api(role)
    before = order_snapshot(order)

    # when
    with commit():
        response = client.post(f"/api/v1/orders/{order.number}/transitions/{name}/", {"reason": "other"}, format="json")

    # then
    if name in GIVEN[role].transitions:
        assert response.status_code == 200, response.content
        assert OrderEvent.objects.filter(
            order=order, actor=client.user.username, from_status=TRANSITIONS[name]
        ).exists()
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


def _storefront_key(*, api, storefront, staff_api, client):
    """A storefront's API key, on the storefront's own order."""
    return api, {"storefront_id": storefront.pk}


def _former_staff_token(*, api, storefront, staff_api, client):
    """The token of a user who was staff when it was issued and is no longer."""
    former = staff_api("manager")
    former.user.is_staff = False
    former.user.save(update_fields=["is_staff"])
    return former, {}


def _anonymous(*, api, storefront, staff_api, client):
    return client, {}


@pytest.mark.parametrize(
    ("caller", "status"),
    [(_storefront_key, 403), (_former_staff_token, 403), (_anonymous, 401)],
    ids=["storefront key", "former staff token", "anonymous"],
)
@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_staff_endpoints_refuse_who_is_not_staff(
    caller, status, method, path, api, storefront, staff_api, client, order_in_state, order_snapshot
):
    # given
    http, order_fields = caller(api=api, storefront=storefront, staff_api=staff_api, client=client)
    order = order_in_state("confirmed", **order_fields)
    before = order_snapshot(order)

    # when
    response = getattr(http, method)(path.format(number=order.number), format="json")

    # then
    assert response.status_code == status
    assert order_snapshot(order) == before
