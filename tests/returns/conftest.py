"""Returns on delivered orders, taken to a state by the real services."""

import pytest

from returns import services
from returns.models import ReturnRequest
from tests.factories import StaffFactory, return_request_open


@pytest.fixture
def delivered_order(order_in_state, mug):
    """``delivered_order(quantity=3, **fields)``: a delivered order of ``quantity`` mugs (MUG-1, 12.50 each)."""

    def make(quantity: int = 3, **fields):
        return order_in_state("delivered", lines=[("MUG-1", quantity)], **fields)

    return make


@pytest.fixture
def return_in_state(delivered_order, commit):
    """``return_in_state(state, order=None, quantity=1, reason="no_longer_needed")``: a return of mugs taken
    to ``state`` (requested, authorized, received, inspected, rejected, cancelled) by the services."""
    steps = {
        "requested": [],
        "authorized": ["authorize"],
        "received": ["authorize", "receive"],
        "inspected": ["authorize", "receive", "inspect"],
        "rejected": ["reject"],
        "cancelled": ["cancel"],
    }

    def make(state: str, *, order=None, quantity: int = 1, reason: str = "no_longer_needed", condition="resellable"):
        order = order or delivered_order()
        manager = StaffFactory(role="manager")
        with commit():
            created = return_request_open(order, lines=[("MUG-1", quantity, reason)])
        for step in steps[state]:
            with commit():
                params = {
                    "reject": {"reason": "Outside our policy"},
                    "receive": {"warehouse": "MAIN"},
                    "inspect": {"lines": [{"sku": "MUG-1", "quantity": quantity, "condition": condition}]},
                }.get(step, {})
                services.return_transition(return_request=created, name=step, user=manager, **params)
            created = ReturnRequest.objects.get(pk=created.pk)
        assert created.status == state, f"could not bring a return to {state}: it is {created.status}"
        return created

    return make
