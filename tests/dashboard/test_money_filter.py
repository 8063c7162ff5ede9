"""Money is written one way on every page: two decimals, thousands separated, the currency after the amount."""

from decimal import Decimal

import pytest
from django.template import Context, Template


def render(amount, currency=None) -> str:
    source = "{% load money %}{{ amount|money" + (":currency" if currency is not None else "") + " }}"
    return Template(source).render(Context({"amount": amount, "currency": currency}))


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("2293.97000000000"), "USD", "2,293.97 USD"),
        (Decimal("133.28"), "USD", "133.28 USD"),
        (Decimal("17.35"), "EUR", "17.35 EUR"),
        (Decimal("25000"), "", "25,000.00"),
        (Decimal("3436.585"), None, "3,436.59"),
        (Decimal("1234567.5"), "GBP", "1,234,567.50 GBP"),
        (0, "USD", "0.00 USD"),
        (Decimal("-5.5"), "USD", "-5.50 USD"),
    ],
)
def test_amounts_are_rounded_to_cents_with_separators_and_the_currency_after(amount, currency, shown):
    assert render(amount, currency) == shown


def test_no_amount_shows_nothing():
    assert render(None, "USD") == ""
