"""Each storefront key has its own request rate; past it, 429 with Retry-After."""

import pytest
from rest_framework.test import APIClient

from tests.factories import storefront_with_key

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"storefront": "3/min"}}


def test_a_storefront_past_its_rate_gets_429_with_retry_after(api, three_a_minute):
    # given three calls within the rate
    for _ in range(3):
        assert api.get("/api/v1/orders/").status_code == 200

    # when a fourth follows within the minute, on any endpoint
    response = api.get("/api/v1/products/")

    # then
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_rate_is_per_key(api, three_a_minute):
    # given one storefront that used up its rate
    for _ in range(3):
        api.get("/api/v1/orders/")
    _, key = storefront_with_key("other shop")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    # when / then another storefront is not held back by it
    assert other.get("/api/v1/orders/").status_code == 200
    assert api.get("/api/v1/orders/").status_code == 429


def test_staff_tokens_are_not_counted(staff_api, three_a_minute):
    client = staff_api("support")

    assert [client.get("/api/v1/orders/").status_code for _ in range(5)] == [200] * 5
