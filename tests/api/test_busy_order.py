"""An API request on an order someone else is changing is refused at once: 409 "busy", and nothing changes."""

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_transition_on_a_busy_order_is_409_busy(staff_api, order_in_state, order_snapshot, order_locked_elsewhere):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)
    desk = staff_api("order desk")

    # when someone else holds the order while the request comes in
    with order_locked_elsewhere(order):
        response = desk.post(f"/api/v1/orders/{order.number}/transitions/start_fulfillment/", {}, format="json")

    # then
    assert response.status_code == 409
    assert response.json() == {
        "code": "busy",
        "detail": "Another request is changing this order right now; retry shortly.",
    }
    assert order_snapshot(order) == before
