"""The look-up limit holds under parallel tries and per order number: guessing the email of a known order
from many addresses, or many tries at once, gets no more than the limit of wrong answers."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.OMS_LOOKUP_RATE_LIMIT = LIMIT
    settings.OMS_LOOKUP_RATE_WINDOW_SECONDS = 600


def _guess(number: str, address: str):
    return Client(REMOTE_ADDR=address).post("/track/", {"number": number, "email": "guess@example.com"})


def test_rotating_addresses_does_not_help_guess_one_order(order_in_state):
    # given a known order number, guessed from a new address each time
    order = order_in_state("confirmed", customer_email="ann@example.com")
    answers = [_guess(order.number, f"203.0.113.{i}").status_code for i in range(LIMIT + 3)]

    # then after the limit every further guess at that order is refused, whoever sends it
    assert answers == [200] * LIMIT + [429] * 3
    # and even the right email from yet another address must wait for the window to pass
    right = Client(REMOTE_ADDR="198.51.100.7").post("/track/", {"number": order.number, "email": "ann@example.com"})
    assert right.status_code == 429
    assert int(right["Retry-After"]) == 600


def test_other_orders_are_not_blocked_by_guesses_at_one(order_in_state):
    order = order_in_state("confirmed", customer_email="ann@example.com")
    for i in range(LIMIT + 1):
        _guess("ZZZZZZZZ", f"203.0.113.{i}")
    right = Client(REMOTE_ADDR="198.51.100.7").post("/track/", {"number": order.number, "email": "ann@example.com"})
    assert right.status_code == 302


def test_parallel_tries_cannot_pass_the_limit(parallel):
    # when twenty wrong tries from one address arrive at the same moment
    answers = parallel([lambda i=i: _guess(f"ORDER{i:03d}", "192.0.2.1") for i in range(20)])

    # then no more than the limit got an answer; the rest were told to wait
    codes = [answer.status_code for answer in answers]
    assert codes.count(200) == LIMIT, codes
    assert codes.count(429) == 20 - LIMIT


def test_a_successful_look_up_does_not_use_up_a_try(order_in_state):
    order = order_in_state("confirmed", customer_email="ann@example.com")
    client = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(LIMIT + 2):
        response = client.post("/track/", {"number": order.number, "email": "ann@example.com"})
        assert response.status_code == 302
