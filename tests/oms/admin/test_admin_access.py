"""The Django admin is for superusers only: no staff role gets around the dashboard's rules through it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from tests.factories import CustomerFactory, StaffFactory

ROLES = [None, "order desk", "warehouse", "finance", "support", "manager"]
PAGES = [
    "/admin/",
    "/admin/orders/customer/",
    "/admin/orders/order/",
    "/admin/inventory/product/",
    "/admin/inventory/stockitem/",
    "/admin/payments/payment/",
    "/admin/shipping/shipment/",
    "/admin/auth/user/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_staff_get_the_admin_login_instead_of_the_page(client, role, page):
    # given: a signed-in staff member in that role (or in none)
    client.force_login(StaffFactory(role=role))

    # when
    response = client.get(page)

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_a_superuser_opens_the_admin(client, page):
    client.force_login(StaffFactory(is_superuser=True))

    assert client.get(page).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["order desk", "finance", "manager"])
def test_staff_cannot_change_credit_terms_through_the_admin(client, role):
    # given: a customer paying up front, and staff whose role may edit customers on the dashboard
    customer = CustomerFactory(name="Ann", payment_terms="prepaid", credit_limit=Decimal("0"))
    client.force_login(StaffFactory(role=role))

    # when: they post the admin's change form with credit terms
    response = client.post(
        f"/admin/orders/customer/{customer.pk}/change/",
        {"name": "Ann", "email": customer.email, "phone": "", "payment_terms": "on_account", "credit_limit": "50000"},
    )

    # then: sent to the admin login, and the customer is as it was
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    customer.refresh_from_db()
    assert (customer.payment_terms, customer.credit_limit) == ("prepaid", Decimal("0"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["order desk", "manager"])
def test_the_admin_login_refuses_staff_passwords(client, role):
    # given: a staff member with their dashboard password
    StaffFactory(username="pat", role=role)

    # when: they sign in on the admin's login page
    response = client.post("/admin/login/?next=/admin/", {"username": "pat", "password": "correct-horse-battery"})

    # then: refused with a message pointing to a superuser account, and the admin stays closed
    assert response.status_code == 200
    assert "superuser account" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_admin_login_lets_a_superuser_in(client):
    user = StaffFactory(username="root", is_superuser=True)

    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "correct-horse-battery"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert User.objects.get(pk=user.pk).last_login is not None
