"""Editing contact details and credit terms: validated, recorded with who changed what."""

from decimal import Decimal

from django.contrib.admin.models import LogEntry

from orders.models import Customer
from tests.factories import CustomerFactory


def test_edit_contact_details_records_who_changed_what(staff_client, db):
    customer = CustomerFactory(name="Ann", email="ann@example.com", phone="")
    client = staff_client("order desk", username="dana")

    response = client.post(
        f"/dashboard/customers/{customer.pk}/edit/", {"name": "Ann Example", "email": "ann@example.com", "phone": "555"}
    )

    assert response.status_code == 302 and response.url == f"/dashboard/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert (customer.name, customer.phone) == ("Ann Example", "555")
    entry = LogEntry.objects.get()
    assert entry.user.username == "dana"
    assert entry.change_message == "Contact: name Ann → Ann Example, phone (blank) → 555"
    page = client.get(f"/dashboard/customers/{customer.pk}/")
    assert "name Ann → Ann Example" in page.text


def test_email_must_stay_unique_regardless_of_case(staff_client, db):
    CustomerFactory(email="taken@example.com")
    customer = CustomerFactory(email="mine@example.com")
    client = staff_client("order desk")

    response = client.post(
        f"/dashboard/customers/{customer.pk}/edit/", {"name": "X", "email": "TAKEN@example.com", "phone": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Another customer already has this email address."]
    assert Customer.objects.get(pk=customer.pk).email == "mine@example.com"
    assert not LogEntry.objects.exists()


def test_invalid_email_is_reported_beside_the_field(staff_client, db):
    customer = CustomerFactory()
    client = staff_client("finance")

    response = client.post(f"/dashboard/customers/{customer.pk}/edit/", {"name": "", "email": "nope", "phone": ""})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "email"}
    assert 'id="id_email-error"' in response.text


def test_finance_sets_terms_and_limit(staff_client, db):
    customer = CustomerFactory()
    client = staff_client("finance", username="fiona")

    response = client.post(
        f"/dashboard/customers/{customer.pk}/credit-terms/", {"payment_terms": "on_account", "credit_limit": "750.50"}
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.payment_terms, customer.credit_limit) == ("on_account", Decimal("750.50"))
    entry = LogEntry.objects.get()
    assert entry.user.username == "fiona"
    assert entry.change_message == "Credit: payment terms Prepaid → On account, credit limit 0.00 → 750.50"


def test_a_negative_or_malformed_limit_is_refused_beside_the_field(staff_client, db):
    customer = CustomerFactory()
    client = staff_client("finance")

    for value in ("-1", "abc", "1.234", "NaN"):
        response = client.post(
            f"/dashboard/customers/{customer.pk}/credit-terms/", {"payment_terms": "on_account", "credit_limit": value}
        )
        assert response.status_code == 400, value
        assert "credit_limit" in response.context["terms_form"].errors, value

    customer.refresh_from_db()
    assert (customer.payment_terms, customer.credit_limit) == ("prepaid", 0)
    assert not LogEntry.objects.exists()


def test_the_service_refuses_bad_limits_too(db):
    import pytest

    from oms.exceptions import InvalidInput
    from orders.services import customer_credit_terms_set
    from tests.factories import StaffFactory

    customer = CustomerFactory()
    with pytest.raises(InvalidInput) as refused:
        customer_credit_terms_set(
            customer_id=customer.pk, payment_terms="weekly", credit_limit="-5", user=StaffFactory(role="finance")
        )

    assert set(refused.value.fields) == {"payment_terms", "credit_limit"}
