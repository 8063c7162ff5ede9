"""The order page's buttons take the transitions; hold and cancel need their reason; a busy order is told."""

import pytest

from orders.models import Order


def test_buttons_take_the_order_from_confirmed_to_shipped(desk, order_in_state):
    order = order_in_state("confirmed")
    page = desk.get(f"/dashboard/orders/{order.number}/").text
    assert ">Start fulfillment</button>" in page and ">Ship</button>" not in page

    response = desk.post(f"/dashboard/orders/{order.number}/transition/", {"name": "start_fulfillment"}, follow=True)

    assert Order.objects.get(pk=order.pk).status == "fulfilling"
    assert "is now fulfilling" in response.text
    assert ">Ship</button>" in response.text
    assert f"/dashboard/orders/{order.number}/pack/" in response.text  # Pack & ship… beside Ship

    desk.post(f"/dashboard/orders/{order.number}/transition/", {"name": "ship"})

    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_hold_with_reason_and_note_then_release(desk, order_in_state):
    order = order_in_state("confirmed")

    desk.post(
        f"/dashboard/orders/{order.number}/transition/",
        {"name": "hold", "hold-hold_reason": "address_problem", "hold-reason": "Street number missing"},
    )

    held = Order.objects.get(pk=order.pk)
    assert (held.status, held.hold_reason) == ("on_hold", "address_problem")
    assert held.events.last().note == "Street number missing"

    desk.post(f"/dashboard/orders/{order.number}/transition/", {"name": "release"})

    assert Order.objects.get(pk=order.pk).status == "confirmed"


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"name": "hold", "hold-hold_reason": "", "hold-reason": "why"}, 'id="id_hold-hold_reason-error"'),
        ({"name": "hold", "hold-hold_reason": "credit", "hold-reason": "  "}, 'id="id_hold-reason-error"'),
        ({"name": "cancel", "cancel-reason": ""}, 'id="id_cancel-reason-error"'),
    ],
    ids=["hold-without-code", "hold-without-note", "cancel-without-reason"],
)
def test_hold_and_cancel_need_a_reason(desk, order_in_state, order_snapshot, data, field_error):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    response = desk.post(f"/dashboard/orders/{order.number}/transition/", data)

    assert response.status_code == 400
    assert field_error in response.text
    assert '<details class="transition-form" open>' in response.text
    assert order_snapshot(order) == before


def test_cancel_with_reason(desk, order_in_state):
    order = order_in_state("confirmed")

    desk.post(f"/dashboard/orders/{order.number}/transition/", {"name": "cancel", "cancel-reason": "Customer called"})

    cancelled = Order.objects.get(pk=order.pk)
    assert cancelled.status == "cancelled"
    assert cancelled.events.last().note == "Customer called"


def test_transition_not_available_now_is_a_message_not_an_error(desk, order_in_state, order_snapshot):
    order = order_in_state("shipped")
    before = order_snapshot(order)

    response = desk.post(f"/dashboard/orders/{order.number}/transition/", {"name": "start_fulfillment"}, follow=True)

    assert response.status_code == 200
    assert "Cannot start fulfillment an order that is shipped." in response.text
    assert order_snapshot(order) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_busy_order_asks_to_try_again(desk, order_in_state, order_snapshot, order_locked_elsewhere):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when someone else holds the order while the clerk starts fulfillment
    with order_locked_elsewhere(order):
        response = desk.post(
            f"/dashboard/orders/{order.number}/transition/", {"name": "start_fulfillment"}, follow=True
        )

    # then
    assert "Someone else is changing this order, try again." in response.text
    assert order_snapshot(order) == before


def test_unknown_transition_or_order_is_404(desk, order_in_state):
    order = order_in_state("confirmed")

    assert desk.post(f"/dashboard/orders/{order.number}/transition/", {"name": "verify"}).status_code == 404
    assert desk.post("/dashboard/orders/NOPE/transition/", {"name": "ship"}).status_code == 404
    assert desk.get(f"/dashboard/orders/{order.number}/transition/").status_code == 405
