"""A storefront bills only its own customers' credit lines, never changes a stored customer's details by
placing an order, and its answers show the contact it sent, not what is stored about the customer."""

from decimal import Decimal

import pytest

from oms.models import Storefront
from orders.models import Customer, Order
from tests.factories import CustomerFactory, storefront_with_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_shop(db) -> Storefront:
    shop, _ = storefront_with_key("other shop")
    return shop


@pytest.fixture
def business(db):
    """A business customer on account terms, with a stored name and phone."""
    return CustomerFactory(
        email="ann@example.com",
        name="Ann Stored",
        phone="+1 555 0100",
        payment_terms="on_account",
        credit_limit=Decimal("1000"),
    )


def _on_account(order_body):
    order_body["payment"] = {"method": "on_account"}
    return order_body


def test_a_storefront_cannot_bill_a_customer_it_does_not_own(api, mug, order_body, business, other_shop):
    # given a customer on account who belongs to another storefront
    business.storefront = other_shop
    business.save()

    # when this storefront places an on-account order with the customer's email
    response = api.post("/api/v1/orders/", _on_account(order_body), format="json")

    # then it is refused, naming the payment method, and nothing is written
    assert response.status_code == 400
    assert response.json() == {"payment": {"method": ["On account is only for this storefront's own customers."]}}
    assert Order.objects.count() == 0


def test_a_customer_the_shop_made_must_be_shared_first(api, storefront, mug, order_body, business, commit):
    # a staff-made customer is not billable by any storefront...
    assert api.post("/api/v1/orders/", _on_account(order_body), format="json").status_code == 400
    # ...until the shop shares it with that storefront
    business.shared_with.add(storefront)
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 201, response.content


def test_its_own_customer_on_account_is_billable(api, storefront, mug, order_body, business, commit):
    business.storefront = storefront
    business.save()
    with commit():
        response = api.post("/api/v1/orders/", _on_account(order_body), format="json")
    assert response.status_code == 201, response.content
    assert Order.objects.get().payment_method == "on_account"


def test_a_placement_neither_changes_nor_reveals_the_stored_customer(api, mug, order_body, business, commit):
    # given a stored customer, and a storefront order with the same email but another name and phone
    order_body["customer"] = {"email": "ANN@example.com", "name": "Someone Else", "phone": "+49 30 999"}

    # when it is placed (paid by card)
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")

    # then the stored customer is unchanged, and the answers show only what was sent
    assert response.status_code == 201, response.content
    business.refresh_from_db()
    assert (business.name, business.phone) == ("Ann Stored", "+1 555 0100")
    assert response.json()["customer"] == {"email": "ANN@example.com", "name": "Someone Else", "phone": "+49 30 999"}
    again = api.get(f"/api/v1/orders/{response.json()['number']}/").json()
    assert again["customer"]["name"] == "Someone Else"
    assert "Ann Stored" not in str(again) and "0100" not in str(again)


def test_a_new_customer_belongs_to_the_storefront_that_made_it(api, storefront, mug, order_body, commit):
    with commit():
        api.post("/api/v1/orders/", order_body, format="json")
    assert Customer.objects.get().storefront == storefront
