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
    # when
    response = staff_client("order desk").post(URL, entry_post(customer=CustomerFactory(), ship_country="gb"))

    # then
    assert response.status_code == 302
    assert Order.objects.get().shipping_address.country == "GB"
