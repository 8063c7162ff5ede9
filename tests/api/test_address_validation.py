"""An address the post cannot deliver to is a 400 naming the field, with nothing written.

Country, region and postal code are judged by Google's address data for the country: a real ISO code, the
state or province where the country uses one, and a postal code of the country's (and state's) format.
"""

import pytest

from inventory.models import StockMovement
from orders.models import Address, Customer, Order


def _nothing_written() -> bool:
    return not (
        Order.objects.exists()
        or Address.objects.exists()
        or Customer.objects.exists()
        or StockMovement.objects.exists()
    )


@pytest.mark.parametrize(
    ("address", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "ZZ is not a country code. Use the two-letter ISO code, e.g. US, DE, GB."),
        (
            {"country": "UK", "city": "London", "postal_code": "SW1A 1AA"},
            "country",
            "UK is not an ISO country code: use GB.",
        ),
        (
            {"country": "US", "city": "Denver", "postal_code": "80202"},
            "region",
            "Enter the state: US addresses need one, e.g. AL.",
        ),
        (
            {"country": "US", "city": "Denver", "region": "CO", "postal_code": "1"},
            "postal_code",
            "“1” is not a ZIP code in US (CO), e.g. 80000.",
        ),
        (
            {"country": "US", "city": "Denver", "region": "CO", "postal_code": "10001"},
            "postal_code",
            "“10001” is not a ZIP code in US (CO), e.g. 80000.",
        ),
        (
            {"country": "US", "city": "Denver", "region": "Narnia", "postal_code": "80202"},
            "region",
            "“Narnia” is not a state of US: use its code or name, e.g. AL.",
        ),
        (
            {"country": "CA", "city": "Toronto", "postal_code": "M5V 2T6"},
            "region",
            "Enter the province: CA addresses need one, e.g. AB.",
        ),
        (
            {"country": "AU", "city": "Sydney", "postal_code": "2000"},
            "region",
            "Enter the state: AU addresses need one, e.g. ACT.",
        ),
        (
            {"country": "DE", "city": "Berlin", "postal_code": "1011"},
            "postal_code",
            "“1011” is not a postal code in DE, e.g. 26133.",
        ),
    ],
)
def test_an_undeliverable_shipping_address_is_a_400_naming_the_field(api, mug, order_body, address, field, message):
    # given
    order_body["shipping_address"].update(address)

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY=f"bad-{field}")

    # then
    assert response.status_code == 400, response.content
    assert response.json()["shipping_address"][field] == [message]
    assert _nothing_written()


def test_a_us_address_without_state_and_with_zip_1_names_both_fields(api, mug, order_body):
    # given: what the issue reported as placed, confirmed and sent to the warehouse
    order_body["shipping_address"].update(city="Denver", postal_code="1", country="US")

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="us-no-state")

    # then
    assert response.status_code == 400
    assert set(response.json()["shipping_address"]) == {"region", "postal_code"}
    assert _nothing_written()


def test_a_bad_billing_address_is_named_under_billing_address(api, mug, order_body):
    # given
    order_body["billing_address"] = {
        "name": "Ann Example",
        "line1": "1 Yonge St",
        "city": "Toronto",
        "postal_code": "M5E 1E5",
        "country": "CA",
    }

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="bad-billing")

    # then
    assert response.status_code == 400
    assert response.json() == {"billing_address": {"region": ["Enter the province: CA addresses need one, e.g. AB."]}}
    assert _nothing_written()


def test_a_region_typed_as_its_name_is_stored_as_its_code(api, mug, order_body):
    # given
    order_body["shipping_address"].update(city="Denver", region="colorado", postal_code="80202", country="us")

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="named-region")

    # then
    assert response.status_code == 201, response.content
    assert response.json()["shipping_address"]["region"] == "CO"
    assert Order.objects.select_related("shipping_address").get().shipping_address.region == "CO"


@pytest.mark.parametrize(
    "address",
    [
        {"city": "Berlin", "postal_code": "10115", "country": "DE"},
        {"city": "London", "postal_code": "sw1a 1aa", "country": "GB"},
        {"city": "Toronto", "region": "ON", "postal_code": "M5V 2T6", "country": "CA"},
        {"city": "Łódź", "postal_code": "90-001", "country": "PL"},
        {"city": "Dublin", "postal_code": "D02 X285", "country": "IE"},
    ],
)
def test_a_deliverable_address_is_placed(api, mug, order_body, address):
    order_body["shipping_address"].update(address)

    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="good-address")

    assert response.status_code == 201, response.content
