"""A NUL character (U+0000) in any string of an order body is refused with 400 naming the field; nothing is
written. PostgreSQL cannot store or compare such a string, so it used to fail deep in a query (500)."""

import pytest

from orders.models import Customer, Order

pytestmark = pytest.mark.django_db

FIELDS = [
    ("customer", "email"),
    ("customer", "name"),
    ("customer", "phone"),
    ("shipping_address", "name"),
    ("shipping_address", "line1"),
    ("shipping_address", "city"),
    ("shipping_address", "postal_code"),
    ("shipping_address", "country"),
    ("shipping_method",),
    ("payment", "method"),
    ("payment", "token"),
    ("lines", 0, "sku"),
    ("notes",),
]


def _error_at(body, path):
    for key in path:
        body = body[key]
    return body


@pytest.mark.parametrize("path", FIELDS, ids=lambda path: ".".join(map(str, path)))
def test_a_nul_in_any_string_is_a_400_naming_the_field(api, mug, order_body, path):
    # given an otherwise valid order with a NUL inside one string
    target = order_body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "AB\x00C"

    # when the storefront posts it
    response = api.post("/api/v1/orders/", order_body, format="json")

    # then it is refused, the answer points at that field, and nothing was stored
    assert response.status_code == 400, response.content
    assert _error_at(response.json(), path) == ["Null characters are not allowed."]
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 0


def test_a_nul_in_a_key_is_refused_too(api, mug, order_body):
    order_body["bad\x00key"] = "x"
    response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 400
    assert response.json() == {"bad\\u0000key": ["Null characters are not allowed."]}
