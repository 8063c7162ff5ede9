"""A customer set up before their first order: contact, default address and, for finance, credit terms."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from oms.exceptions import InvalidInput
from orders.models import Address, Customer
from orders.services import AddressInput
from orders.services.customers import CreditTermsNotAllowed, CustomerEmailTaken, customer_create
from tests.factories import CustomerFactory, StaffFactory

URL = "/dashboard/customers/new/"
ADDRESS = {
    "address_line1": "1 Harbour Road",
    "address_city": "Hamburg",
    "address_postal_code": "20457",
    "address_country": "de",
}


def _snapshot() -> tuple:
    return (Customer.objects.count(), Address.objects.count(), LogEntry.objects.count())


# --- the service ----------------------------------------------------------------------------------------------
def test_finance_creates_a_customer_on_account_with_an_address(db):
    # given
    finance = StaffFactory(role="finance")

    # when
    customer = customer_create(
        name=" Acme Trading ",
        email="Buyer@Acme.test",
        phone="+49 40 123",
        address=AddressInput(name="", line1="1 Harbour Road", city="Hamburg", postal_code="20457", country="de"),
        payment_terms="on_account",
        credit_limit="5000",
        user=finance,
    )

    # then
    fresh = Customer.objects.get(pk=customer.pk)
    assert (fresh.name, fresh.email, fresh.payment_terms, fresh.credit_limit) == (
        "Acme Trading",
        "Buyer@Acme.test",
        "on_account",
        Decimal("5000.00"),
    )
    address = Address.objects.get(customer=fresh)
    assert (address.name, address.line1, address.country) == ("Acme Trading", "1 Harbour Road", "DE")
    entry = LogEntry.objects.get()
    assert (entry.user_id, entry.action_flag, entry.object_id) == (finance.pk, ADDITION, str(fresh.pk))
    assert "Created:" in entry.change_message and "credit limit 5000.00" in entry.change_message


@pytest.mark.parametrize("email", ["kim@example.com", "KIM@Example.COM", " kim@example.com "])
def test_a_taken_email_in_any_case_is_refused_naming_the_customer(db, email):
    existing = CustomerFactory(name="Kim Existing", email="kim@example.com")
    before = _snapshot()

    with pytest.raises(CustomerEmailTaken) as caught:
        customer_create(name="Kim Other", email=email, user=StaffFactory(role="order desk"))

    assert caught.value.existing == existing
    assert "Kim Existing" in caught.value.fields["email"][0]
    assert _snapshot() == before


@pytest.mark.parametrize("limit", ["-1", "abc", "1.234", "99999999999", "NaN", ""])
def test_a_bad_credit_limit_is_refused(db, limit):
    with pytest.raises(InvalidInput) as caught:
        customer_create(
            name="Acme", email="a@acme.test", payment_terms="on_account", credit_limit=limit, user=StaffFactory()
        )

    assert "credit_limit" in caught.value.fields
    assert _snapshot()[:2] == (0, 0)


def test_credit_terms_are_refused_without_the_permission(db):
    desk = StaffFactory(role="order desk")

    with pytest.raises(CreditTermsNotAllowed):
        customer_create(name="Acme", email="a@acme.test", payment_terms="on_account", credit_limit="100", user=desk)

    assert _snapshot() == (0, 0, 0)


def test_a_prepaid_customer_needs_no_credit_permission(db):
    customer = customer_create(name="Ann", email="ann@example.com", user=StaffFactory(role="order desk"))

    assert (customer.payment_terms, customer.credit_limit) == ("prepaid", Decimal("0"))
    assert not Address.objects.exists()


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (AddressInput(name="", line1="", city="Berlin", postal_code="10115", country="DE"), "address_line1"),
        (AddressInput(name="", line1="Main St 1", city="Berlin", postal_code="10115", country="UK"), "address_country"),
        (AddressInput(name="", line1="Main St 1", city="", postal_code="10115", country="DE"), "address_city"),
    ],
)
def test_an_incomplete_address_is_refused_beside_its_field(db, address, field):
    with pytest.raises(InvalidInput) as caught:
        customer_create(name="Ann", email="ann@example.com", address=address, user=StaffFactory())

    assert field in caught.value.fields
    assert _snapshot() == (0, 0, 0)


# --- the page -------------------------------------------------------------------------------------------------
def test_order_desk_creates_a_prepaid_customer_and_lands_on_their_page(staff_client):
    client = staff_client("order desk")

    response = client.post(
        URL,
        {"name": "Ann Example", "email": "ann@example.com", "phone": "", **ADDRESS},
        follow=True,
    )

    customer = Customer.objects.get()
    assert response.redirect_chain[0][0] == f"/dashboard/customers/{customer.pk}/"
    assert "Created the customer Ann Example (prepaid)." in response.text
    assert "1 Harbour Road" in response.text  # the address book on the customer page
    assert "Created:" in response.text  # the change log


def test_credit_fields_posted_by_order_desk_are_ignored(staff_client):
    client = staff_client("order desk")

    page = client.get(URL)
    client.post(
        URL,
        {"name": "Acme", "email": "a@acme.test", "payment_terms": "on_account", "credit_limit": "99999"},
    )

    assert 'name="credit_limit"' not in page.text and "starts <strong>prepaid</strong>" in page.text
    customer = Customer.objects.get()
    assert (customer.payment_terms, customer.credit_limit) == ("prepaid", Decimal("0"))


def test_finance_sets_terms_on_the_page(staff_client):
    client = staff_client("finance")
    client.user.user_permissions.add(*_perms("orders.add_customer"))

    response = client.post(
        URL,
        {"name": "Acme", "email": "a@acme.test", "payment_terms": "on_account", "credit_limit": "2500"},
        follow=True,
    )

    customer = Customer.objects.get()
    assert (customer.payment_terms, customer.credit_limit) == ("on_account", Decimal("2500"))
    assert "Created the customer Acme (on account, credit limit 2500.00)." in response.text


def test_a_taken_email_is_shown_beside_the_field_with_a_link(staff_client):
    existing = CustomerFactory(name="Kim Existing", email="kim@example.com")
    client = staff_client("manager")

    response = client.post(
        URL, {"name": "Kim", "email": "KIM@example.com", "payment_terms": "prepaid", "credit_limit": "0"}
    )

    assert response.status_code == 400
    assert (
        f'<p class="error" id="id_email-error">Already the email of '
        f'<a href="/dashboard/customers/{existing.pk}/">Kim Existing</a>.</p>' in response.text
    )
    assert Customer.objects.count() == 1


def test_a_bad_credit_limit_on_the_page_is_shown_beside_the_field(staff_client):
    client = staff_client("manager")

    response = client.post(
        URL, {"name": "Acme", "email": "a@acme.test", "payment_terms": "on_account", "credit_limit": "-5"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["credit_limit"]
    assert 'id="id_credit_limit-error"' in response.text
    assert not Customer.objects.exists()


def test_a_bad_country_on_the_page_is_shown_beside_the_field(staff_client):
    client = staff_client("order desk")

    response = client.post(URL, {"name": "Ann", "email": "ann@example.com", **ADDRESS, "address_country": "UK"})

    assert response.status_code == 400
    assert response.context["form"].errors["address_country"] == ["UK is not an ISO country code: use GB."]
    assert _snapshot() == (0, 0, 0)


def test_order_entry_prefills_the_address_of_a_customer_without_orders(staff_client):
    # given a customer set up with an address and no order yet
    client = staff_client("order desk")
    client.post(URL, {"name": "Ann Example", "email": "ann@example.com", **ADDRESS})
    customer = Customer.objects.get()
    assert not customer.orders.exists()

    # when order entry opens for them
    response = client.get(f"/dashboard/orders/new/?customer={customer.pk}")

    # then the shipping address comes from the address book
    initial = response.context["form"].initial
    assert (initial["ship_name"], initial["ship_line1"], initial["ship_city"], initial["ship_country"]) == (
        "Ann Example",
        "1 Harbour Road",
        "Hamburg",
        "DE",
    )


def _perms(*names: str):
    from django.contrib.auth.models import Permission

    return [Permission.objects.get(content_type__app_label=n.split(".")[0], codename=n.split(".")[1]) for n in names]
