"""Home's work queues count their orders up to a cap (1,000) and past it say so ("1,000+"), never a false
total: an exact count of a million-order shop's queue would read every order in it."""

import pytest

from orders.models import Order


@pytest.fixture
def cap_two(monkeypatch):
    monkeypatch.setattr("dashboard.orders.selectors.home.COUNT_CAP", 2)


def test_a_queue_past_the_cap_says_there_are_more(cap_two, desk, order_in_state):
    # given
    for _ in range(3):
        order_in_state("confirmed")

    # when
    response = desk.get("/dashboard/")

    # then
    ready = response.context["queues"]["ready"]
    assert (ready["count"], ready["capped"], len(ready["rows"])) == (2, True, 3)
    assert '>Ready to fulfill <span class="count" title="More than 2: counting stops there">2+</span>' in response.text


def test_a_queue_up_to_the_cap_shows_its_exact_count(cap_two, desk, order_in_state):
    for _ in range(2):
        order_in_state("confirmed")

    response = desk.get("/dashboard/")

    ready = response.context["queues"]["ready"]
    assert (ready["count"], ready["capped"]) == (2, False)
    assert '>Ready to fulfill <span class="count">2</span>' in response.text


def test_each_hold_reason_past_the_cap_says_there_are_more(cap_two, desk, order_in_state):
    # given: three held for fraud review, one for refused credit
    held = [order_in_state("on_hold") for _ in range(4)]
    Order.objects.filter(pk=held[0].pk).update(hold_reason="credit")

    # when
    response = desk.get("/dashboard/")

    # then
    queue = response.context["queues"]["on_hold"]
    assert (queue["count"], queue["capped"]) == (2, True)
    assert queue["reasons"] == [
        {"code": "credit", "label": "Credit refused", "count": 1},
        {"code": "fraud_review", "label": "Fraud review", "count": 2, "capped": True},
    ]
    assert 'Fraud review</a> <span class="count" title="More than 2: counting stops there">2+</span>' in (response.text)
