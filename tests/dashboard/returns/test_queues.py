"""The Returns area's queues: each return in the queue of the role whose turn it is."""

import pytest


@pytest.fixture
def returns(return_in_state, delivered_order):
    order = delivered_order(quantity=5)
    return {
        state: return_in_state(state, order=order)
        for state in ("requested", "authorized", "received", "inspected", "rejected")
    }


@pytest.mark.parametrize(
    "queue, state",
    [("authorize", "requested"), ("arrival", "authorized"), ("inspect", "received"), ("refund", "inspected")],
)
def test_each_queue_holds_the_returns_of_its_step(returns, staff_client, queue, state):
    # when
    page = staff_client("manager").get("/dashboard/returns/", {"queue": queue})

    # then
    assert page.status_code == 200
    shown = {s for s, r in returns.items() if f">{r.number}</a>" in page.text}
    assert shown == {state}


def test_the_tabs_count_every_queue(returns, staff_client):
    # when
    page = staff_client("support").get("/dashboard/returns/")

    # then
    assert page.context["tabs"] == [
        ("authorize", "To authorize", 1),
        ("arrival", "Awaiting arrival", 1),
        ("inspect", "To inspect", 1),
        ("refund", "To refund or exchange", 1),
        ("close", "To close", 0),
    ]
