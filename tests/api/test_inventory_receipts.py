"""``POST /api/v1/inventory/receipts/``: staff book a delivery into a warehouse, all lines or none."""

import pytest

from dashboard.roles import ROLE_PERMISSIONS
from inventory.models import StockItem, StockMovement
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory

URL = "/api/v1/inventory/receipts/"


@pytest.fixture
def stock(warehouse):
    """MUG-1 stocked in MAIN (10 on hand, 4 reserved); TEA-1 in the catalogue but not stocked there yet."""
    StockItemFactory(product=ProductFactory(sku="MUG-1"), warehouse=warehouse, on_hand=10, reserved=4)
    ProductFactory(sku="TEA-1")
    return warehouse


def _body(**fields):
    return {
        "warehouse": "MAIN",
        "reference": "PO-1001",
        "lines": [{"sku": "MUG-1", "quantity": 5}, {"sku": "TEA-1", "quantity": 12}],
        **fields,
    }


def _ledger():
    return sorted(StockMovement.objects.values_list("stock_item__product__sku", "kind", "on_hand_delta", "reference"))


def _stock():
    return sorted(StockItem.objects.values_list("product__sku", "warehouse__code", "on_hand", "reserved"))


def test_a_receipt_books_every_line_and_answers_with_the_stock(stock, staff_api):
    # when
    response = staff_api("warehouse").post(URL, _body(), format="json")

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["warehouse"], body["reference"]) == ("MAIN", "PO-1001")
    assert body["lines"] == [
        {"sku": "MUG-1", "quantity": 5, "on_hand": 15, "available": 11},
        {"sku": "TEA-1", "quantity": 12, "on_hand": 12, "available": 12},
    ]
    assert body["received_at"]
    assert _stock() == [("MUG-1", "MAIN", 15, 4), ("TEA-1", "MAIN", 12, 0)]
    assert _ledger() == [("MUG-1", "receipt", 5, "PO-1001"), ("TEA-1", "receipt", 12, "PO-1001")]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"warehouse": "NOPE"}, {"warehouse": ["Unknown or inactive warehouse 'NOPE'."]}),
        (
            {"lines": [{"sku": "MUG-1", "quantity": 1}, {"sku": "GHOST", "quantity": 1}]},
            {"lines": {"1": {"sku": ["Unknown SKU 'GHOST'."]}}},
        ),
        (
            {"lines": [{"sku": "MUG-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 2}]},
            {"lines": {"1": {"sku": ["'MUG-1' appears twice; put the whole quantity on one line."]}}},
        ),
        (
            {"lines": [{"sku": "MUG-1", "quantity": 0}]},
            {"lines": {"0": {"quantity": ["Ensure this value is greater than or equal to 1."]}}},
        ),
        ({"lines": []}, {"lines": {"non_field_errors": ["This list may not be empty."]}}),
        ({"reference": ""}, {"reference": ["This field may not be blank."]}),
    ],
    ids=["unknown-warehouse", "unknown-sku", "duplicate-sku", "quantity-zero", "no-lines", "no-reference"],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(stock, staff_api, fields, errors):
    # given
    before = (_stock(), _ledger())

    # when
    response = staff_api("warehouse").post(URL, _body(**fields), format="json")

    # then
    assert response.status_code == 400
    assert response.json() == errors
    assert (_stock(), _ledger()) == before


def test_an_inactive_warehouse_takes_no_receipt(stock, staff_api):
    WarehouseFactory(code="OLD", is_active=False)
    response = staff_api("warehouse").post(URL, _body(warehouse="OLD"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["warehouse"]
    assert StockMovement.objects.count() == 0


def test_storefront_keys_get_403(stock, api):
    response = api.post(URL, _body(), format="json")
    assert response.status_code == 403
    assert StockMovement.objects.count() == 0


def test_no_credentials_get_401(stock, client):
    assert client.post(URL, _body(), content_type="application/json").status_code == 401


@pytest.mark.parametrize("role", [*sorted(ROLE_PERMISSIONS), None])
def test_only_roles_that_may_receive_stock_may_book(stock, staff_api, role):
    # given
    client = staff_api(role)
    may = client.user.has_perm("inventory.receive_stock")

    # when
    response = client.post(URL, _body(), format="json")

    # then
    assert response.status_code == (201 if may else 403), (role, response.content)
    assert StockMovement.objects.exists() == may


def test_a_retry_with_the_same_idempotency_key_books_once(stock, staff_api):
    # given
    client = staff_api("warehouse")

    # when
    first = client.post(URL, _body(), format="json", HTTP_IDEMPOTENCY_KEY="delivery-7")
    second = client.post(URL, _body(), format="json", HTTP_IDEMPOTENCY_KEY="delivery-7")
    other_body = client.post(URL, _body(reference="PO-2"), format="json", HTTP_IDEMPOTENCY_KEY="delivery-7")

    # then
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert other_body.status_code == 409
    assert _stock() == [("MUG-1", "MAIN", 15, 4), ("TEA-1", "MAIN", 12, 0)]
    assert StockMovement.objects.count() == 2


def test_the_endpoint_is_in_the_openapi_schema(staff_api):
    schema = staff_api("manager").get("/api/schema/?format=json")
    assert schema.status_code == 200
    operation = schema.json()["paths"][URL]["post"]
    assert operation["operationId"] == "inventory_receipts_create"
    assert set(operation["responses"]) >= {"201", "400", "403"}
