"""Two people on one order: packing an order someone else holds locked says so, and writes nothing."""

import pytest

from orders.models import LineAllocation
from tests.dashboard.fulfillment.test_pack_page import form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_packing_a_busy_order_asks_to_try_again(
    reference_data, order_in_state, kitchen, staff_client, order_snapshot, order_locked_elsewhere
):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2)])
    before = order_snapshot(order)
    client = staff_client("warehouse")

    # when someone else holds the order while the packer ships
    with order_locked_elsewhere(order):
        response = client.post(f"/dashboard/orders/{order.number}/pack/", form_data(order, [{"KIT-MUG": 2}], ["0.8"]))

    # then
    assert response.status_code == 200
    assert "Someone else is changing this order, try again." in response.text
    assert order_snapshot(order) == before
    assert not LineAllocation.objects.filter(line__order=order, is_shipped=True).exists()


def test_starting_a_busy_order_asks_to_try_again(
    reference_data, order_in_state, staff_client, order_snapshot, order_locked_elsewhere
):
    order = order_in_state("confirmed")
    before = order_snapshot(order)
    client = staff_client("warehouse")

    with order_locked_elsewhere(order):
        response = client.post(f"/dashboard/orders/{order.number}/start-fulfillment/", follow=True)

    assert "Someone else is changing this order, try again." in response.text
    assert order_snapshot(order) == before
