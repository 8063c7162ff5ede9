"""Staff tokens open the orders API only to roles that may view orders, as the dashboard's order pages do."""

import pytest

from dashboard.roles import ROLE_PERMISSIONS

ROLES = sorted(ROLE_PERMISSIONS)


def endpoints(number: str) -> list[tuple[str, str, dict | None]]:
    """Every order endpoint a staff token reaches: (method, path, body)."""
    return [
        ("get", "/api/v1/orders/", None),
        ("post", "/api/v1/orders/", {}),
        ("get", f"/api/v1/orders/{number}/", None),
        ("post", f"/api/v1/orders/{number}/cancel/", {"reason": "test"}),
        ("post", f"/api/v1/orders/{number}/payment/", {"method": "card", "token": "tok_ok"}),
        ("get", f"/api/v1/orders/{number}/transitions/", None),
        ("post", f"/api/v1/orders/{number}/transitions/hold/", {"hold_reason": "fraud_review"}),
        ("get", f"/api/v1/orders/{number}/pick-list/", None),
    ]


def test_staff_without_a_role_get_403_from_every_order_endpoint(staff_api, order_in_state, order_snapshot):
    # given a staff member with no role (so without orders.view_order) and an order
    client = staff_api(None)
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    for method, path, body in endpoints(order.number):
        # when
        response = getattr(client, method)(path, body, format="json")

        # then
        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["code"] == "permission_denied"
    assert order_snapshot(order) == before


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_read_orders_through_the_api(role, staff_api, order_in_state):
    # given
    client = staff_api(role)
    order = order_in_state("fulfilling")

    # when / then each read answers as on the dashboard, where every role may view orders
    assert [o["number"] for o in client.get("/api/v1/orders/").json()["results"]] == [order.number]
    assert client.get(f"/api/v1/orders/{order.number}/").json()["status"] == "fulfilling"
    assert client.get(f"/api/v1/orders/{order.number}/transitions/").status_code == 200
    assert client.get(f"/api/v1/orders/{order.number}/pick-list/").status_code == 200


def test_a_non_staff_session_gets_403(client, order_in_state, django_user_model):
    # given a signed-in account that is not staff
    order = order_in_state("confirmed")
    client.force_login(django_user_model.objects.create_user("carl"))

    # when / then
    assert client.get("/api/v1/orders/").status_code == 403
    assert client.get(f"/api/v1/orders/{order.number}/").status_code == 403
