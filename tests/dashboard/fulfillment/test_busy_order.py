"""Two people on one order: packing an order someone else holds locked says so, and writes nothing."""

import threading

import pytest
from django.db import connection, transaction

from orders.models import LineAllocation, Order
from tests.dashboard.fulfillment.test_pack_page import form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order_locked_elsewhere():
    """``order_locked_elsewhere(order)``: a context in which another connection holds the order's row lock."""

    class Holder:
        def __init__(self, order):
            self.order = order
            self.locked, self.done = threading.Event(), threading.Event()

        def _hold(self):
            try:
                with transaction.atomic():
                    Order.objects.select_for_update().get(pk=self.order.pk)
                    self.locked.set()
                    self.done.wait(timeout=30)
            finally:
                connection.close()

        def __enter__(self):
            self.thread = threading.Thread(target=self._hold)
            self.thread.start()
            assert self.locked.wait(timeout=10)

        def __exit__(self, *exc):
            self.done.set()
            self.thread.join(timeout=10)

    return Holder


def test_packing_a_busy_order_asks_to_try_again(
    reference_data, order_in_state, kitchen, staff_client, order_snapshot, order_locked_elsewhere
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks with NOWAIT need PostgreSQL")
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
    if connection.vendor != "postgresql":
        pytest.skip("row locks with NOWAIT need PostgreSQL")
    order = order_in_state("confirmed")
    before = order_snapshot(order)
    client = staff_client("warehouse")

    with order_locked_elsewhere(order):
        response = client.post(f"/dashboard/orders/{order.number}/start-fulfillment/", follow=True)

    assert "Someone else is changing this order, try again." in response.text
    assert order_snapshot(order) == before
