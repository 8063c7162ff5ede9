"""The shipping country must be a real ISO code: "XX" or "UK" pass a two-letter check but ship nowhere."""

import pytest

from inventory.models import StockMovement
from orders.models import Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory

URL = "/dashboard/orders/new/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("XX", "XX is not a country code. Use the two-letter ISO code, e.g. US, DE, GB."),
        ("uk", "UK is not an ISO country code: use GB."),
        ("ZZ", "ZZ is not a country code. Use the two-letter ISO code, e.g. US, DE, GB."),
    ],
)
def test_an_unknown_country_code_is_refused_beside_the_field(staff_client, mug, typed, message):
    # when
    response = staff_client("order desk").post(URL, entry_post(customer=CustomerFactory(), ship_country=typed))

    # then
    assert response.status_code == 400
    assert response.context["form"].errors["ship_country"] == [message]
    assert "The order was not placed." in response.text
    assert Order.objects.count() == 0 and StockMovement.objects.count() == 0


def test_a_real_code_in_lower_case_is_placed_in_upper_case(staff_client, mug):
    # given
    london = {"ship_city": "London", "ship_postal_code": "SW1A 1AA", "ship_country": "gb"}

    # when
    response = staff_client("order desk").post(URL, entry_post(customer=CustomerFactory(), **london))

    # then
    assert response.status_code == 302
    assert Order.objects.get().shipping_address.country == "GB"


def test_a_us_address_without_state_and_with_zip_1_is_refused_beside_both_fields(staff_client, mug):
    # given
    us = {"ship_city": "Denver", "ship_region": "", "ship_postal_code": "1", "ship_country": "US"}

    # when
    response = staff_client("order desk").post(URL, entry_post(customer=CustomerFactory(), **us))

    # then
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["ship_region"] == ["Enter the state: US addresses need one, e.g. AL."]
    assert errors["ship_postal_code"] == ["“1” is not a ZIP code in US, e.g. 95014."]
    assert 'id="id_ship_region-error"' in response.text
    assert Order.objects.count() == 0 and StockMovement.objects.count() == 0


def test_a_state_typed_as_its_name_is_placed_as_its_code(staff_client, mug):
    # given
    us = {"ship_city": "Denver", "ship_region": "Colorado", "ship_postal_code": "80202", "ship_country": "us"}

    # when
    response = staff_client("order desk").post(URL, entry_post(customer=CustomerFactory(), **us))

    # then
    assert response.status_code == 302
    assert Order.objects.get().shipping_address.region == "CO"
