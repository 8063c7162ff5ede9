"""POST /api/v1/orders/<number>/lines/: the contract (answers, error shapes, who may, retries)."""

import pytest

from orders.models import Order
from tests.orders.changes.conftest import lines_of

pytestmark = pytest.mark.django_db


def post(client, order, lines, **headers):
    return client.post(f"/api/v1/orders/{order.number}/lines/", {"lines": lines}, format="json", **headers)


@pytest.fixture
def storefront_order(api, catalog, order_body, commit):
    """A confirmed card order the storefront placed: 2 mugs."""
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]
    order = Order.objects.get(number=number)
    assert order.status == "confirmed"
    return order


def test_the_answer_is_the_order_as_get_shows_it(api, storefront_order, commit):
    # when the storefront adds a tee
    with commit():
        response = post(api, storefront_order, [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}])

    # then the answer is the order, exactly as GET shows it now
    assert response.status_code == 200, response.content
    assert response.json() == api.get(f"/api/v1/orders/{storefront_order.number}/").json()
    assert [(line["sku"], line["quantity"]) for line in response.json()["lines"]] == [("MUG-1", 2), ("TEE-1", 1)]
    assert response.json()["total"] == "49.95"


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"sku": "NOPE", "quantity": 1}], {"lines": {"0": {"sku": ["Unknown SKU 'NOPE'."]}}}),
        (
            [{"sku": "MUG-1", "quantity": 1}, {"sku": "NOPE", "quantity": 0}],
            {
                "lines": {
                    "1": {
                        "sku": ["Unknown SKU 'NOPE'."],
                        "quantity": ["Ensure this value is greater than or equal to 1."],
                    }
                }
            },
        ),
        (
            [{"sku": "MUG-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 2}],
            {"lines": {"1": {"sku": ["'MUG-1' appears twice; put the whole quantity on one line."]}}},
        ),
        (
            [{"sku": "MUG-1", "quantity": 10001}],
            {"lines": {"0": {"quantity": ["Ensure this value is less than or equal to 10000."]}}},
        ),
        ([], {"lines": {"non_field_errors": ["This list may not be empty."]}}),
        (
            [{"sku": "MUG-1", "quantity": 2}, {"sku": "CAP-1", "quantity": 4}],
            {"lines": {"1": {"quantity": ["Only 3 available."]}}},
        ),
    ],
    ids=["unknown", "unknown-and-zero", "duplicate", "too-many", "empty", "short"],
)
def test_bad_lines_are_named_and_nothing_changes(api, storefront_order, order_snapshot, lines, errors):
    before = order_snapshot(storefront_order)

    response = post(api, storefront_order, lines)

    assert response.status_code == 400, response.content
    assert response.json() == errors
    assert order_snapshot(storefront_order) == before


def test_a_product_no_longer_for_sale_may_stay_but_not_be_added_or_grow(api, storefront_order, catalog, commit):
    # given the mug and the tee are taken off sale after the order
    from inventory.models import Product

    Product.objects.filter(sku__in=["MUG-1", "TEE-1"]).update(is_active=False)

    # then adding the tee or more mugs is refused, naming the line
    response = post(api, storefront_order, [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}])
    assert (response.status_code, response.json()) == (400, {"lines": {"1": {"sku": ["'TEE-1' is not for sale."]}}})
    response = post(api, storefront_order, [{"sku": "MUG-1", "quantity": 3}])
    assert (response.status_code, response.json()) == (400, {"lines": {"0": {"sku": ["'MUG-1' is not for sale."]}}})

    # but keeping fewer mugs and adding a cap is fine
    with commit():
        response = post(api, storefront_order, [{"sku": "MUG-1", "quantity": 1}, {"sku": "CAP-1", "quantity": 1}])
    assert response.status_code == 200, response.content
    assert lines_of(storefront_order) == {"MUG-1": 1, "CAP-1": 1}


@pytest.mark.parametrize("state", ["fulfilling", "shipped", "cancelled"])
def test_too_late_once_fulfillment_started_or_cancelled(order_in_state, catalog, staff_api, order_snapshot, state):
    # given an order that is fulfilling, shipped or cancelled
    order = order_in_state(state, lines=[("MUG-1", 2)])
    before = order_snapshot(order)

    # when staff change its lines
    response = post(staff_api("order desk"), order, [{"sku": "MUG-1", "quantity": 3}])

    # then 409, nothing changed
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "too_late"
    assert order_snapshot(order) == before


def test_a_storefront_cannot_see_another_storefronts_order(storefront_order, catalog, order_snapshot):
    # given another storefront's key
    from rest_framework.test import APIClient

    from tests.factories import storefront_with_key

    _, key = storefront_with_key("other")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    before = order_snapshot(storefront_order)

    # when it changes the first storefront's order
    response = post(other, storefront_order, [{"sku": "MUG-1", "quantity": 1}])

    # then there is no such order for it
    assert response.status_code == 404, response.content
    assert order_snapshot(storefront_order) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [("order desk", 200), ("manager", 200), ("support", 403), ("finance", 403), ("warehouse", 403)],
)
def test_staff_need_the_change_lines_permission(storefront_order, staff_api, commit, role, status):
    with commit():
        response = post(staff_api(role), storefront_order, [{"sku": "MUG-1", "quantity": 1}])

    assert response.status_code == status, response.content
    assert lines_of(storefront_order) == {"MUG-1": 1 if status == 200 else 2}


def test_a_retry_with_the_same_key_is_answered_once(api, storefront_order, commit):
    # given an edit sent with an Idempotency-Key
    lines = [{"sku": "MUG-1", "quantity": 3}]
    with commit():
        first = post(api, storefront_order, lines, HTTP_IDEMPOTENCY_KEY="edit-1")
    events = storefront_order.events.count()

    # when it is sent again with the same key, then with the same key and other lines
    again = post(api, storefront_order, lines, HTTP_IDEMPOTENCY_KEY="edit-1")
    other = post(api, storefront_order, [{"sku": "MUG-1", "quantity": 4}], HTTP_IDEMPOTENCY_KEY="edit-1")

    # then the retry gets the first answer and changes nothing; another body under that key is refused
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert other.status_code == 409
    assert storefront_order.events.count() == events
    assert lines_of(storefront_order) == {"MUG-1": 3}


def test_the_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    lines = schema["paths"]["/api/v1/orders/{number}/lines/"]["post"]
    assert lines["operationId"] == "orders_lines_change"
    assert {"200", "400", "404", "409", "422"} <= set(lines["responses"])
    cancel = schema["paths"]["/api/v1/orders/{number}/cancel/"]["post"]
    body = cancel["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "lines" in schema["components"]["schemas"][body]["properties"]
    summary = schema["components"]["schemas"]["PaymentSummaryOutput"]["properties"]
    assert {"balance_due", "refund_due"} <= set(summary)
