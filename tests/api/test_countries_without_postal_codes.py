"""A postal code is asked for where the country has them, through the API and the order entry page: an order to
the United Arab Emirates (which has none) is placed without one; one to Germany without one gets a 400 naming
the field, and writes nothing."""

import pytest

from orders.models import Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _to(order_body, **address):
    order_body["shipping_address"] = {"name": "Ann Example", "line1": "1 Main St", **address}
    return order_body


def test_an_order_to_a_country_without_postal_codes_needs_none(api, mug, order_body):
    body = _to(order_body, city="Dubai", region="Dubai", country="AE")

    response = api.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="ae-1")

    assert response.status_code == 201, response.content
    order = Order.objects.get(number=response.json()["number"])
    assert (order.shipping_address.country, order.shipping_address.postal_code) == ("AE", "")


def test_a_country_with_postal_codes_still_needs_one(api, mug, order_body):
    body = _to(order_body, city="Berlin", country="DE", postal_code="")

    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 400
    assert response.json()["shipping_address"]["postal_code"][0].startswith("Enter the postal code: DE")
    assert Order.objects.count() == 0


def test_order_entry_takes_an_address_without_postal_code_where_the_country_has_none(staff_client, mug):
    dubai = {"ship_city": "Dubai", "ship_region": "Dubai", "ship_postal_code": "", "ship_country": "AE"}
    berlin = {"ship_city": "Berlin", "ship_postal_code": "", "ship_country": "DE"}
    desk = staff_client("order desk")

    placed = desk.post("/dashboard/orders/new/", entry_post(customer=CustomerFactory(), **dubai))
    refused = desk.post("/dashboard/orders/new/", entry_post(customer=CustomerFactory(), **berlin))

    assert placed.status_code == 302
    assert Order.objects.get().shipping_address.country == "AE"
    assert refused.status_code == 400
    assert refused.context["form"].errors["ship_postal_code"][0].startswith("Enter the postal code: DE")
