"""Bad input on the entry form: messages beside the fields, nothing written."""

import pytest

from inventory.models import StockMovement
from orders.models import Customer, Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory, ProductFactory, StockItemFactory

URL = "/dashboard/orders/new/"


@pytest.fixture
def nothing_written():
    def check():
        assert Order.objects.count() == 0
        assert StockMovement.objects.count() == 0

    return check


def test_missing_address_and_customer_are_reported_beside_the_fields(staff_client, mug, nothing_written):
    client = staff_client("order desk")

    response = client.post(URL, entry_post(ship_line1="", ship_country="Germany", customer_name=""))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["ship_line1"] == ["This field is required."]
    assert errors["ship_country"] == ["Use a two-letter ISO country code, e.g. US."]
    assert "customer_name" in errors and "customer_email" in errors
    assert 'id="id_ship_line1"' in response.text and "The order was not placed." in response.text
    nothing_written()
    assert Customer.objects.count() == 0


def test_an_empty_basket_is_refused(staff_client, mug, nothing_written):
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer=CustomerFactory(), lines=[]))

    assert response.status_code == 400
    assert "Add at least one product." in response.text
    nothing_written()


@pytest.mark.parametrize(
    ("quantity", "message"), [("0", "Must be between 1 and 10000."), ("two", "Enter a whole number.")]
)
def test_a_bad_quantity_is_reported_on_its_line(staff_client, mug, nothing_written, quantity, message):
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer=CustomerFactory(), lines=[("MUG-1", quantity)]))

    assert response.status_code == 400
    assert response.context["basket"].rows[0].errors == [message]
    assert 'id="qty-mug-1-error"' in response.text
    nothing_written()


def test_service_errors_go_beside_their_fields(staff_client, mug, nothing_written):
    # cash on a phone order is refused by order_place; an inactive product too
    ProductFactory(sku="OLD-1", is_active=False)
    client = staff_client("order desk")

    response = client.post(
        URL,
        entry_post(customer=CustomerFactory(), payment_method="cash", lines=[("MUG-1", "1"), ("OLD-1", "1")]),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["payment_method"] == ["Cash is only taken for in-store orders."]
    rows = response.context["basket"].rows
    assert rows[0].errors == [] and rows[1].errors == ["'OLD-1' is not for sale."]
    nothing_written()


def test_card_needs_a_token(staff_client, mug, nothing_written):
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer=CustomerFactory(), payment_token=""))

    assert response.context["form"].errors["payment_token"] == ["A card token is required for card payments."]
    nothing_written()


def test_on_account_is_refused_for_a_prepaid_customer(staff_client, mug, nothing_written):
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer=CustomerFactory(), payment_method="on_account"))

    assert response.status_code == 400
    assert "on account is only for customers on account terms" in response.context["form"].errors["payment_method"][0]
    nothing_written()


def test_a_nul_byte_or_garbage_never_gives_a_server_error(staff_client, mug, nothing_written):
    StockItemFactory()
    client = staff_client("order desk")

    data = entry_post(customer_name="A\x00", customer_email="x\x00@e.com", lines=[("MUG\x00", "1")])
    data["customer"] = "zz"

    response = client.post(URL, data)

    assert response.status_code == 400
    assert client.get(f"{URL}products/?product_q=%00mug").status_code == 200
    assert client.get(f"{URL}customers/?customer_q=%00an").status_code == 200
    assert client.get(f"{URL}?customer=%00").status_code == 200
    nothing_written()
