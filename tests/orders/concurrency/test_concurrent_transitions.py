"""Two staff members acting on one order at the same moment: one wins, the other gets a 409.

The order row is locked (NOWAIT) for the transition, so the loser is refused at once with "busy" when
the two overlap, or with "transition not allowed" when the winner has already committed; either way
the order takes exactly one of the two paths and the timeline records it once.
"""

import pytest

from oms.authentication import staff_token_create
from orders.models import Order, OrderEvent, OrderStatus
from tests.factories import OrderFactory, ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = OrderStatus
ROUNDS = 4
TARGETS = {"start_fulfillment": S.FULFILLING, "hold": S.ON_HOLD, "cancel": S.CANCELLED}


@pytest.fixture
def confirmed_orders(reference_data):
    """``ROUNDS`` confirmed orders, placed (and paid, in-process after the commit) through the service."""
    StockItemFactory(product=ProductFactory(sku="MUG-1"), warehouse=WarehouseFactory(code="MAIN"), on_hand=100)
    orders = [OrderFactory(lines=[("MUG-1", 1)]) for _ in range(ROUNDS)]
    for order in orders:
        order.refresh_from_db()
        assert order.status == S.CONFIRMED
    return orders


@pytest.fixture
def two_staff(reference_data, fast_password_hashing):
    """Two people of the order desk, each with an API token."""
    return [f"Token {staff_token_create(user=StaffFactory(role='order desk'))[1]}" for _ in range(2)]


@pytest.mark.parametrize(
    ("first", "second"),
    [("start_fulfillment", "start_fulfillment"), ("hold", "start_fulfillment"), ("cancel", "cancel")],
)
def test_one_of_two_concurrent_transitions_wins(parallel, http, confirmed_orders, two_staff, first, second):
    for order in confirmed_orders:
        # given a confirmed order
        events_before = OrderEvent.objects.filter(order=order).count()

        # when two staff members take a transition on it at the same moment
        responses = parallel(
            [
                http(
                    "POST",
                    f"/api/v1/orders/{order.number}/transitions/{name}/",
                    auth=auth,
                    json={"reason": "fraud_review"},
                )
                for name, auth in zip((first, second), two_staff, strict=True)
            ]
        )

        # then one gets a 200, the other a 409, and the order took the winner's path once
        codes = [r.status_code for r in responses]
        assert sorted(codes) == [200, 409], [r.text[:300] for r in responses]
        winner = (first, second)[codes.index(200)]
        loser = responses[codes.index(409)].json()
        assert loser["code"] in {"busy", "transition_not_allowed", "invalid_state"}, loser
        order.refresh_from_db()
        assert order.status == TARGETS[winner]
        assert responses[codes.index(200)].json()["status"] == order.status
        new_events = OrderEvent.objects.filter(order=order).order_by("pk")[events_before:]
        assert [(e.from_status, e.to_status) for e in new_events if e.to_status] == [(S.CONFIRMED, TARGETS[winner])]
    assert Order.objects.filter(status=S.CONFIRMED).count() == 0
