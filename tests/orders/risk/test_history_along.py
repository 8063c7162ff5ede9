"""Placement reads the fraud histories along its catalog read, for the rules the last screening found; when the
rules have changed since, the screening reads the histories the new rules ask for: a placement is scored by the
rules as they are, never by the ones it guessed."""

import pytest

from orders.models import DenyListEntry, RiskRule
from tests.orders.risk.conftest import rules_of

pytestmark = pytest.mark.django_db


def test_a_rule_switched_on_since_the_last_order_still_screens_the_next(place):
    # given an order screened while the deny list was off
    RiskRule.objects.create(code="deny_list", weight=100, is_active=False)
    assert place(customer_email="ann@example.com").risk_status == "passed"

    # when the deny list is switched on with ann on it, and ann orders again
    RiskRule.objects.filter(code="deny_list").update(is_active=True)
    DenyListEntry.objects.create(kind="email", value="ann@example.com")
    order = place(customer_email="ANN@example.com")

    # then the order is held for the listed email
    assert rules_of(order) == ["deny_list"] and order.status == "on_hold"


def test_a_rule_switched_off_since_the_last_order_no_longer_counts(place):
    # given a listed email and an order screened with the deny list on
    DenyListEntry.objects.create(kind="email", value="bob@example.com")
    assert rules_of(place(customer_email="bob@example.com")) == ["deny_list"]

    # when the deny list is switched off and bob orders again
    RiskRule.objects.create(code="deny_list", weight=100, is_active=False)
    order = place(customer_email="bob@example.com")

    # then nothing is held
    assert order.risk_status == "passed" and order.status == "confirmed"


def test_the_histories_read_along_are_the_customers_own(place):
    # given five orders of ann within the hour and one of bob
    for _ in range(5):
        place(customer_email="ann@example.com", payment_method="bank_transfer", payment_token="")
    place(customer_email="bob@example.com")

    # when bob and ann order again
    bob = place(customer_email="bob@example.com")
    ann = place(customer_email="ann@example.com")

    # then only ann's sixth order counts as too many
    assert bob.risk_status == "passed"
    assert rules_of(ann) == ["email_velocity"]
