"""``Address.lines()``: one layout per destination's postal custom, used by every page, PDF and carrier call."""

import pytest

from orders.models import Address


def address(**fields) -> Address:
    values = {"name": "Ann Example", "line1": "1 Main St", "line2": "", "region": "", **fields}
    return Address(**values)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"city": "Denver", "region": "CO", "postal_code": "80202", "country": "US"},
            ["Ann Example", "1 Main St", "Denver, CO 80202", "US"],
        ),
        (
            {"city": "Toronto", "region": "ON", "postal_code": "M5V 2T6", "country": "CA"},
            ["Ann Example", "1 Main St", "Toronto, ON M5V 2T6", "CA"],
        ),
        (
            {"city": "Sydney", "region": "NSW", "postal_code": "2000", "country": "AU"},
            ["Ann Example", "1 Main St", "Sydney, NSW 2000", "AU"],
        ),
        (
            {"city": "London", "postal_code": "EC1A 1BB", "country": "GB"},
            ["Ann Example", "1 Main St", "London", "EC1A 1BB", "GB"],
        ),
        (
            {"city": "Guildford", "region": "Surrey", "postal_code": "GU1 1AA", "country": "GB"},
            ["Ann Example", "1 Main St", "Guildford", "Surrey", "GU1 1AA", "GB"],
        ),
        (
            {"city": "Berlin", "postal_code": "10115", "country": "DE"},
            ["Ann Example", "1 Main St", "10115 Berlin", "DE"],
        ),
        (
            {"city": "Roma", "region": "RM", "postal_code": "00144", "country": "IT"},
            ["Ann Example", "1 Main St", "00144 Roma", "RM", "IT"],
        ),
    ],
    ids=["US", "CA", "AU", "GB", "GB with county", "DE", "IT with province"],
)
def test_each_country_gets_its_own_layout(fields, expected):
    assert address(**fields).lines() == expected


def test_a_us_address_without_a_state_still_prints_city_and_zip():
    # existing orders and storefronts that send no region
    assert address(city="Denver", postal_code="80202", country="US").lines()[-2] == "Denver 80202"


def test_blank_second_line_is_left_out_and_a_given_one_kept():
    assert "" not in address(city="Berlin", postal_code="10115", country="DE").lines()
    lines = address(line2="Apt 4", city="Denver", region="CO", postal_code="80202", country="us").lines()
    assert lines == ["Ann Example", "1 Main St", "Apt 4", "Denver, CO 80202", "US"]


def test_str_is_the_lines_on_one_line_for_the_carrier_request():
    denver = address(city="Denver", region="CO", postal_code="80202", country="US")
    assert str(denver) == "Ann Example, 1 Main St, Denver, CO 80202, US"


def test_locality_lines_take_a_replacement_postal_code():
    denver = address(city="Denver", region="CO", postal_code="80202", country="US")
    assert denver.locality_lines(postal_code="80•••") == ["Denver, CO 80•••"]
