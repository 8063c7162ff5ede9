"""Who may do what on the fulfillment pages: role × action, what is shown and what the server does when forced."""

import pytest
from django.contrib.auth.models import Permission

from orders.models import LineAllocation, Order
from shipping.models import Shipment
from tests.dashboard.roles import ROLES, VIEWERS
from tests.factories import StaffFactory

WAREHOUSE_WORK = {"order desk", "warehouse", "manager"}  # start_fulfillment and ship_order

# action → (state of the order it needs, roles allowed)
ACTIONS = {
    "view fulfillment list": ("fulfilling", WAREHOUSE_WORK),
    "view pick list": ("fulfilling", WAREHOUSE_WORK),
    "view pack page": ("fulfilling", WAREHOUSE_WORK),
    "ship": ("fulfilling", WAREHOUSE_WORK),
    "start fulfillment": ("confirmed", WAREHOUSE_WORK),
    "print label": ("shipped", VIEWERS),
    "print packing slip": ("shipped", VIEWERS),
    "print labels and slips of a selection": ("shipped", WAREHOUSE_WORK),
}


def ship_form(order) -> dict:
    allocation = LineAllocation.objects.get(line__order=order)
    w = allocation.warehouse_id
    return {
        f"packed-{allocation.pk}": "on",
        f"parcels-{w}": "1",
        f"p-{w}-1-{allocation.pk}": str(allocation.quantity),
        f"p-{w}-1-weight": "0.5",
        "service": "standard",
        "ship": "1",
    }


def act(client, action: str, order):
    shipment = Shipment.objects.filter(order=order).first()
    if action == "view fulfillment list":
        return client.get("/dashboard/fulfillment/")
    if action == "view pick list":
        return client.get("/dashboard/fulfillment/pick-list/", {"orders": order.number})
    if action == "view pack page":
        return client.get(f"/dashboard/orders/{order.number}/pack/")
    if action == "ship":
        return client.post(f"/dashboard/orders/{order.number}/pack/", ship_form(order))
    if action == "start fulfillment":
        return client.post(f"/dashboard/orders/{order.number}/start-fulfillment/")
    if action == "print label":
        return client.get(f"/dashboard/shipments/{shipment.pk}/label.pdf")
    if action == "print packing slip":
        return client.get(f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf")
    if action == "print labels and slips of a selection":
        return client.get("/dashboard/fulfillment/documents.pdf", {"orders": order.number})
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(role, action, order_in_state, staff_client, order_snapshot, commit):
    # given
    state, allowed = ACTIONS[action]
    order = order_in_state(state)
    before = order_snapshot(order)
    client = staff_client(role)

    # when
    with commit():
        response = act(client, action, order)

    # then
    if role not in allowed:
        assert response.status_code == 403
        assert "You don't have access to this page" in response.text
        assert order_snapshot(order) == before
        return
    status = Order.objects.get(pk=order.pk).status
    if action == "ship":
        assert response.status_code == 302
        assert status == "shipped"
    elif action == "start fulfillment":
        assert response.status_code == 302
        assert status == "fulfilling"
    elif action.startswith("print"):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert order_snapshot(order) == before
    else:
        assert response.status_code == 200
        assert order_snapshot(order) == before
        html = response.text
        assert 'href="/dashboard/fulfillment/"' in html, "the nav shows Fulfillment"
        if action == "view fulfillment list":
            assert f"/dashboard/orders/{order.number}/pack/" in html
            assert "Print pick lists for selected" in html
        if action == "view pack page":
            assert "Ship order" in html


def test_anonymous_visitor_is_sent_to_login(order_in_state, client):
    order = order_in_state("fulfilling")

    for path in ("/dashboard/fulfillment/", f"/dashboard/orders/{order.number}/pack/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/dashboard/login/")


def only(*codenames: str):
    user = StaffFactory(role=None)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
    )  # fmt: skip
    return user


def test_starter_without_ship_permission_sees_start_but_not_pack(order_in_state, client, order_snapshot):
    # given someone who may start fulfillment but not ship
    confirmed, fulfilling = order_in_state("confirmed"), order_in_state("fulfilling")
    client.force_login(only("start_fulfillment", "view_order"))
    before = order_snapshot(fulfilling)

    # when
    html = client.get("/dashboard/fulfillment/").text
    forced = client.post(f"/dashboard/orders/{fulfilling.number}/pack/", ship_form(fulfilling))

    # then
    assert f"/dashboard/orders/{confirmed.number}/start-fulfillment/" in html
    assert f"/dashboard/orders/{fulfilling.number}/pack/" not in html
    assert forced.status_code == 403
    assert order_snapshot(fulfilling) == before


def test_shipper_without_start_permission_sees_pack_but_not_start(order_in_state, client, order_snapshot):
    confirmed, fulfilling = order_in_state("confirmed"), order_in_state("fulfilling")
    client.force_login(only("ship_order", "view_order"))
    before = order_snapshot(confirmed)

    html = client.get("/dashboard/fulfillment/").text
    forced = client.post(f"/dashboard/orders/{confirmed.number}/start-fulfillment/")
    pack = client.get(f"/dashboard/orders/{confirmed.number}/pack/").text

    assert f"/dashboard/orders/{fulfilling.number}/pack/" in html
    assert f"/dashboard/orders/{confirmed.number}/start-fulfillment/" not in html
    assert forced.status_code == 403
    assert "start-fulfillment" not in pack
    assert order_snapshot(confirmed) == before
