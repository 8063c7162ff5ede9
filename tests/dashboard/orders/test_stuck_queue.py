"""Managers see a "Stuck" queue on home: orders automatic work left behind, linking to the filtered list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oms.models import OutboxMessage
from orders.models import Order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck_order(mug):
    """A card order whose payment task was lost an hour ago."""
    order = OrderFactory(lines=[("MUG-1", 1)])
    OutboxMessage.objects.update(dispatched_at=timezone.now())
    Order.objects.filter(pk=order.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    return order


def test_managers_see_stuck_orders_on_home_and_in_the_list(staff_client, stuck_order):
    manager = staff_client("manager")

    home = manager.get("/dashboard/")
    assert b"Stuck" in home.content
    assert stuck_order.number.encode() in home.content

    listed = manager.get("/dashboard/orders/", {"queue": "stuck"})
    assert listed.status_code == 200
    assert stuck_order.number.encode() in listed.content


@pytest.mark.parametrize("role", ["order desk", "warehouse", "finance", "support"])
def test_other_roles_do_not_get_the_stuck_queue(staff_client, stuck_order, role):
    home = staff_client(role).get("/dashboard/")
    assert b'id="q-stuck"' not in home.content


def test_no_stuck_queue_when_nothing_is_stuck(staff_client, mug, commit):
    with commit():
        OrderFactory(lines=[("MUG-1", 1)])
    home = staff_client("manager").get("/dashboard/")
    assert b'id="q-stuck"' not in home.content
