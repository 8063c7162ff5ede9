"""Permission matrix, role × action: what each role is shown, and what the server does when forced."""

import pytest

from orders.models import Inquiry, Order, OrderNote
from tests.dashboard.roles import GIVEN, ROLES, TRANSITIONS, VIEWERS
from tests.factories import StaffFactory

# Who may take the order page's actions besides the transitions (GIVEN says those).
EDITORS = {"order desk", "support", "manager"}  # orders.change_order
SHIPPERS = {"order desk", "warehouse", "manager"}  # orders.start_fulfillment, orders.ship_order
HOLDERS = {"order desk", "finance", "support", "manager"}  # orders.hold_order, orders.release_order
EXTRA = {
    "hold": {"hold-hold_reason": "fraud_review", "hold-reason": "Check the card"},
    "cancel": {"cancel-reason": "Customer asked"},
}


def _transition(name: str):
    def post(client, order):
        return client.post(f"/dashboard/orders/{order.number}/transition/", {"name": name, **EXTRA.get(name, {})})

    return post


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_button_shown_and_forced_post(order_in_state, offered_and_forced, role, name):
    state = TRANSITIONS[name]
    order = order_in_state(state)

    offered_and_forced(
        role,
        {r for r, given in GIVEN.items() if name in given.transitions},
        order,
        page=f"/dashboard/orders/{order.number}/",
        marker=f'name="name" value="{name}"',
        force=_transition(name),
        happened=lambda o: Order.objects.get(pk=o.pk).status != state,
    )


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


def _bulk_action(action: str, state: str, allowed: set, after: str | None, **extra):
    """A bulk action on the order list: the order it needs, who may run it, and the state it leaves the order in."""
    happened = None if after is None else lambda o: Order.objects.get(pk=o.pk).status == after
    return (state, allowed, "list", f'<option value="{action}">', _bulk(action, **extra), happened)


# action: (order state, roles allowed, marker on the order/list page, forced request, did it happen?)
ACTIONS = {
    "edit": ("confirmed", EDITORS, "detail", "/edit/", _edit, _edited),
    "assign": (
        "confirmed",
        EDITORS,
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
    "bulk start fulfillment": _bulk_action("start_fulfillment", "confirmed", SHIPPERS, "fulfilling"),
    "bulk hold": _bulk_action("hold", "confirmed", HOLDERS, "on_hold", hold_reason="other", reason="x"),
    "bulk release": _bulk_action("release", "on_hold", HOLDERS, "confirmed"),
    "bulk pick lists": _bulk_action("pick_list", "fulfilling", SHIPPERS, None),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_shown_and_forced(order_in_state, offered_and_forced, role, action):
    state, allowed, where, marker, force, happened = ACTIONS[action]
    order = order_in_state(state)
    Inquiry.objects.create(order=order, message="Hello?")
    page = f"/dashboard/orders/{order.number}/" if where == "detail" else "/dashboard/orders/"

    offered_and_forced(role, allowed, order, page=page, marker=marker, force=force, happened=happened)


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
