"""One customer per email, whatever the letter case: the look-up every placement and page uses."""

import pytest

from orders.models import Customer
from tests.factories import CustomerFactory


@pytest.mark.parametrize("typed", ["ann@example.com", "ANN@Example.COM", " ann@example.com "])
def test_the_customer_is_found_in_any_letter_case(db, typed):
    ann = CustomerFactory(email="Ann@example.com")
    CustomerFactory(email="bob@example.com")

    assert list(Customer.objects.with_email(typed)) == [ann]


@pytest.mark.parametrize("typed", ["", "   ", "\x00", None])
def test_a_blank_email_finds_nobody(db, typed):
    CustomerFactory(email="ann@example.com")

    assert not Customer.objects.with_email(typed).exists()
