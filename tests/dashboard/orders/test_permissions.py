"""Permission matrix, role × action: what each role is shown, and what the server does when forced."""

import pytest

from orders.models import Inquiry, Order, OrderNote
from tests.dashboard.orders.conftest import ROLES
from tests.factories import StaffFactory

# transition: (state the order is in, roles that may take it)
TRANSITIONS = {
    "start_fulfillment": ("confirmed", {"order desk", "warehouse", "manager"}),
    "ship": ("fulfilling", {"order desk", "warehouse", "manager"}),
    "hold": ("confirmed", {"order desk", "finance", "support", "manager"}),
    "release": ("on_hold", {"order desk", "finance", "support", "manager"}),
    "cancel": ("confirmed", {"order desk", "finance", "support", "manager"}),
    "mark_paid": ("credit_approved", {"finance", "manager"}),
    "complete": ("delivered", {"manager"}),
}
EXTRA = {
    "hold": {"hold-hold_reason": "fraud_review", "hold-reason": "Check the card"},
    "cancel": {"cancel-reason": "Customer asked"},
}
VIEWERS = {"order desk", "warehouse", "finance", "support", "manager"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_button_shown_and_forced_post(staff_client, order_in_state, order_snapshot, role, name):
    state, allowed = TRANSITIONS[name]
    order = order_in_state(state)
    client = staff_client(role)
    button = f'name="name" value="{name}"'

    page = client.get(f"/dashboard/orders/{order.number}/")
    before = order_snapshot(order)
    response = client.post(f"/dashboard/orders/{order.number}/transition/", {"name": name, **EXTRA.get(name, {})})

    if role in allowed:
        assert button in page.text
        assert response.status_code == 302
        assert Order.objects.get(pk=order.pk).status != state
    else:
        assert page.status_code == (200 if role in VIEWERS else 403)
        assert button not in page.text
        assert response.status_code == 403
        assert order_snapshot(order) == before


def _edit(client, order):
    address = order.shipping_address
    data = {f"{p}_{f}": getattr(address, f) for p in ("ship", "bill") for f in ("name", "line2", "city", "postal_code")}
    data.update(ship_line1="9 Changed St", bill_line1=address.line1, bill_country=address.country, notes="")
    return client.post(f"/dashboard/orders/{order.number}/edit/", data)


def _edited(order) -> bool:
    return Order.objects.select_related("shipping_address").get(pk=order.pk).shipping_address.line1 == "9 Changed St"


def _assign(client, order):
    return client.post(f"/dashboard/orders/{order.number}/assign/", {"assignee": StaffFactory(username="other").pk})


def _note(client, order):
    return client.post(f"/dashboard/orders/{order.number}/notes/", {"body": "A note"})


def _answer(client, order):
    inquiry = Inquiry.objects.get(order=order)
    return client.post(f"/dashboard/orders/{order.number}/inquiries/{inquiry.pk}/answer/", {"answer": "Hi"})


def _bulk(action, **extra):
    def post(client, order):
        return client.post("/dashboard/orders/bulk/", {"action": action, "orders": [order.number], **extra})

    return post


# action: (order state, roles allowed, marker on the order/list page, forced request, did it happen?)
ACTIONS = {
    "edit": ("confirmed", {"order desk", "support", "manager"}, "detail", "/edit/", _edit, _edited),
    "assign": (
        "confirmed",
        {"order desk", "support", "manager"},
        "detail",
        'id="id_assignee"',
        _assign,
        lambda o: Order.objects.get(pk=o.pk).assigned_to_id is not None,
    ),
    "note": (
        "confirmed",
        VIEWERS,
        "detail",
        'name="body"',
        _note,
        lambda o: OrderNote.objects.filter(order=o).exists(),
    ),
    "answer": (
        "shipped",
        {"support", "manager"},
        "detail",
        "Send answer",
        _answer,
        lambda o: Inquiry.objects.filter(order=o, answered_at__isnull=False).exists(),
    ),
    "bulk start fulfillment": (
        "confirmed",
        {"order desk", "warehouse", "manager"},
        "list",
        '<option value="start_fulfillment">',
        _bulk("start_fulfillment"),
        lambda o: Order.objects.get(pk=o.pk).status == "fulfilling",
    ),
    "bulk hold": (
        "confirmed",
        {"order desk", "finance", "support", "manager"},
        "list",
        '<option value="hold">',
        _bulk("hold", hold_reason="other", reason="x"),
        lambda o: Order.objects.get(pk=o.pk).status == "on_hold",
    ),
    "bulk release": (
        "on_hold",
        {"order desk", "finance", "support", "manager"},
        "list",
        '<option value="release">',
        _bulk("release"),
        lambda o: Order.objects.get(pk=o.pk).status == "confirmed",
    ),
    "bulk pick lists": (
        "fulfilling",
        {"order desk", "warehouse", "manager"},
        "list",
        '<option value="pick_list">',
        _bulk("pick_list"),
        None,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_shown_and_forced(staff_client, order_in_state, order_snapshot, role, action):
    state, allowed, where, marker, force, happened = ACTIONS[action]
    order = order_in_state(state)
    Inquiry.objects.create(order=order, message="Hello?")
    client = staff_client(role)
    url = f"/dashboard/orders/{order.number}/" if where == "detail" else "/dashboard/orders/"

    page = client.get(url)
    before = order_snapshot(order)
    response = force(client, order)

    if role in allowed:
        assert marker in page.text
        assert response.status_code == 302
        if happened is not None:
            assert happened(order)
    else:
        assert page.status_code == (200 if role in VIEWERS else 403)
        assert marker not in page.text
        assert response.status_code == 403
        assert order_snapshot(order) == before
        if happened is not None:
            assert not happened(order)


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(staff_client, order_in_state, role):
    order = order_in_state("confirmed")
    client = staff_client(role)

    home = client.get("/dashboard/")
    listing = client.get("/dashboard/orders/")
    detail = client.get(f"/dashboard/orders/{order.number}/")

    assert home.status_code == 200
    expected = 200 if role in VIEWERS else 403
    assert (listing.status_code, detail.status_code) == (expected, expected)
    if role is None:
        assert "No work queues for you yet" in home.text


def test_pack_and_ship_link_only_for_shippers(staff_client, order_in_state):
    order = order_in_state("fulfilling")
    pack = f"/dashboard/orders/{order.number}/pack/"

    assert pack in staff_client("warehouse").get(f"/dashboard/orders/{order.number}/").text
    assert pack not in staff_client("support").get(f"/dashboard/orders/{order.number}/").text
