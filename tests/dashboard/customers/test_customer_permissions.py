"""Role × action on the customer pages: what is shown, and what a forced POST does."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from orders.models import Customer
from tests.dashboard.roles import ROLES
from tests.factories import CustomerFactory

MAY_VIEW = {"order desk", "finance", "support", "manager"}
MAY_EDIT = {"order desk", "finance", "manager"}
MAY_SET_TERMS = {"finance", "manager"}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail(staff_client, db, role):
    customer = CustomerFactory()
    client = staff_client(role)

    listing = client.get("/dashboard/customers/")
    detail = client.get(f"/dashboard/customers/{customer.pk}/")

    expected = 200 if role in MAY_VIEW else 403
    assert (listing.status_code, detail.status_code) == (expected, expected)
    if role in MAY_VIEW:
        assert (f"/dashboard/customers/{customer.pk}/edit/" in detail.text) == (role in MAY_EDIT)
        assert ("credit-terms/" in detail.text) == (role in MAY_SET_TERMS)
        assert ('name="credit_limit"' in detail.text) == (role in MAY_SET_TERMS)
        assert ("New order for this customer" in detail.text) == (role in {"order desk", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_forced_contact_edit(staff_client, db, role):
    customer = CustomerFactory(name="Before", email="before@example.com")
    client = staff_client(role)

    response = client.post(
        f"/dashboard/customers/{customer.pk}/edit/", {"name": "After", "email": "after@example.com", "phone": ""}
    )

    fresh = Customer.objects.get(pk=customer.pk)
    if role in MAY_EDIT:
        assert response.status_code == 302
        assert fresh.name == "After"
    else:
        assert response.status_code == 403
        assert (fresh.name, fresh.email, fresh.updated_at) == ("Before", "before@example.com", customer.updated_at)
        assert not LogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_forced_credit_terms(staff_client, db, role):
    customer = CustomerFactory()
    client = staff_client(role)

    response = client.post(
        f"/dashboard/customers/{customer.pk}/credit-terms/", {"payment_terms": "on_account", "credit_limit": "9999"}
    )

    fresh = Customer.objects.get(pk=customer.pk)
    if role in MAY_SET_TERMS:
        assert response.status_code == 302
        assert (fresh.payment_terms, fresh.credit_limit) == ("on_account", Decimal("9999"))
    else:
        assert response.status_code == 403
        assert (fresh.payment_terms, fresh.credit_limit, fresh.updated_at) == ("prepaid", 0, customer.updated_at)
        assert not LogEntry.objects.exists()
