"""Every default rule adds its weight; at or above the hold score the order is held for review before payment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import DenyListEntry, Order, RiskPolicy, RiskRule
from tests.factories import AddressInputFactory
from tests.orders.risk.conftest import rules_of

pytestmark = pytest.mark.django_db


def _held(order: Order) -> bool:
    return (order.status, order.hold_reason, order.risk_status) == ("on_hold", "fraud_review", "review")


def test_an_ordinary_order_passes_with_no_score(place):
    order = place()

    assert (order.risk_score, order.risk_reasons, order.risk_status) == (0, [], "passed")
    assert order.status == "confirmed"


def test_a_sixth_order_from_one_email_within_an_hour_is_held_before_payment(place):
    # given five orders from ann within the hour
    for _ in range(5):
        assert place(customer_email="ann@example.com", payment_method="bank_transfer", payment_token="").risk_score == 0

    # when
    sixth = place(customer_email="ANN@example.com")

    # then it waits for review with its stock reserved and its card not charged
    assert _held(sixth)
    assert rules_of(sixth) == ["email_velocity"] and sixth.risk_score == 60
    assert sixth.held_from == "verified"
    assert sixth.lines.get().quantity_reserved == 1
    assert sixth.payments.get().status == "pending"
    assert "6 orders from ANN@example.com within 1 h" in sixth.hold_note


def test_orders_older_than_the_window_do_not_count(place):
    for _ in range(5):
        place(customer_email="ann@example.com")
    Order.objects.update(placed_at=timezone.now() - timedelta(hours=2))

    assert place(customer_email="ann@example.com").risk_status == "passed"


def test_a_sixth_order_with_one_card_within_an_hour_is_held(place, settings):
    settings.OMS_RISK_UNTRACKED_CARD_TOKENS = []  # tok_ok stands for one real card here
    for n in range(5):
        place(customer_email=f"buyer-{n}@example.com", payment_token="tok_ok")

    sixth = place(customer_email="someone-else@example.com", payment_token="tok_ok")

    assert _held(sixth) and rules_of(sixth) == ["card_velocity"]


def test_the_test_gateways_shared_tokens_are_not_counted_as_one_card(place):
    for n in range(6):
        order = place(customer_email=f"buyer-{n}@example.com", payment_token="tok_ok")

    assert order.risk_status == "passed" and order.card_digest == ""


def test_billing_abroad_on_a_large_first_order_adds_up_to_a_hold(place, pricey):
    # country mismatch (40) and a large first order (30): 70, over the hold score of 50
    order = place(
        lines=[("TV-1", 1)],
        billing_address=AddressInputFactory(country="FR", city="Paris", postal_code="75001"),
    )

    assert _held(order)
    assert sorted(rules_of(order)) == ["country_mismatch", "first_order"] and order.risk_score == 70


def test_a_large_first_order_alone_stays_below_the_hold_score(place, pricey):
    order = place(lines=[("TV-1", 1)])

    assert rules_of(order) == ["first_order"] and order.risk_score == 30
    assert order.risk_status == "passed" and order.status == "confirmed"


def test_the_hold_score_is_editable(place, pricey):
    RiskPolicy.objects.create(hold_score=30)

    assert _held(place(lines=[("TV-1", 1)]))


def test_a_rule_switched_off_adds_nothing(place, pricey):
    RiskRule.objects.create(code="first_order", weight=30, is_active=False)

    assert place(lines=[("TV-1", 1)]).risk_score == 0


@pytest.mark.parametrize(
    ("kind", "value", "fields"),
    [
        ("email", "bad@example.com", {"customer_email": "Bad@Example.com"}),
        ("postal_code", "10115", {}),
        ("address", "1 main st | 10115 | de", {}),
    ],
)
def test_an_email_postal_code_or_address_on_the_deny_list_holds_the_order(place, kind, value, fields):
    DenyListEntry.objects.create(kind=kind, value=value, added_by="test")

    order = place(**fields)

    assert _held(order) and rules_of(order) == ["deny_list"] and order.risk_score == 100


def test_three_declined_payments_within_a_day_hold_the_next_order(place, declined_order):
    for _ in range(3):
        declined_order(customer_email="ann@example.com")

    order = place(customer_email="ann@example.com")

    assert _held(order) and rules_of(order) == ["declines"]
    assert "3 declined payments within 24 h" in order.hold_note
