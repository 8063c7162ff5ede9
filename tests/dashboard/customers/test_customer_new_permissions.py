"""Role × the new-customer page: the button on the list, the page, the credit fields, a forced POST."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from orders.models import Address, Customer
from tests.dashboard.roles import ROLES

MAY_VIEW_LIST = {"order desk", "finance", "support", "manager"}
MAY_CREATE = {"order desk", "finance", "manager"}
MAY_SET_TERMS = {"finance", "manager"}
BUTTON = 'href="/dashboard/customers/new/"'


@pytest.mark.parametrize("role", ROLES)
def test_button_and_page(staff_client, role):
    client = staff_client(role)

    listing = client.get("/dashboard/customers/")
    page = client.get("/dashboard/customers/new/")

    if role in MAY_VIEW_LIST:
        assert (BUTTON in listing.text) == (role in MAY_CREATE)
    assert page.status_code == (200 if role in MAY_CREATE else 403)
    if role in MAY_CREATE:
        assert ('name="credit_limit"' in page.text) == (role in MAY_SET_TERMS)


@pytest.mark.parametrize("role", ROLES)
def test_forced_create(staff_client, role):
    client = staff_client(role)

    response = client.post(
        "/dashboard/customers/new/",
        {
            "name": "Acme",
            "email": "a@acme.test",
            "payment_terms": "on_account",
            "credit_limit": "750",
            "address_line1": "1 Main St",
            "address_city": "Springfield",
            "address_region": "NY",
            "address_postal_code": "12345",
            "address_country": "US",
        },
    )

    if role in MAY_CREATE:
        assert response.status_code == 302
        customer = Customer.objects.get()
        expected = ("on_account", Decimal("750")) if role in MAY_SET_TERMS else ("prepaid", Decimal("0"))
        assert (customer.payment_terms, customer.credit_limit) == expected
    else:
        assert response.status_code == 403
        assert not Customer.objects.exists()
        assert not Address.objects.exists()
        assert not LogEntry.objects.exists()
