import copy

import pytest
from rest_framework.test import APIClient

from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory, storefront_with_key

ORDER_BODY = {
    "customer": {"email": "ann@example.com", "name": "Ann Example", "phone": "+49 30 1234"},
    "lines": [{"sku": "MUG-1", "quantity": 2}],
    "shipping_address": {"name": "Ann Example", "line1": "1 Main St", "city": "Berlin", "postal_code": "10115",
                         "country": "DE"},
    "shipping_method": "standard",
    "payment": {"method": "card", "token": "tok_ok"},
}


@pytest.fixture(autouse=True)
def _tasks_inline(settings):
    """Tests run queued work in-process after commit, unless a test starts a real worker."""
    settings.OMS_TASKS_INLINE = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...`` runs what would happen after the transaction commits (the outbox relay)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def warehouse(db):
    return WarehouseFactory(code="MAIN", priority=1)


@pytest.fixture
def mug(warehouse):
    product = ProductFactory(sku="MUG-1", name="Mug", price="12.50", weight_kg="0.400")
    StockItemFactory(product=product, warehouse=warehouse, on_hand=50)
    return product


@pytest.fixture
def storefront(db):
    storefront, key = storefront_with_key("shop")
    storefront.key = key
    return storefront


@pytest.fixture
def api(storefront):
    """An API client authenticated as the storefront."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {storefront.key}")
    return client


@pytest.fixture
def order_body():
    return copy.deepcopy(ORDER_BODY)


@pytest.fixture
def staff_api(db):
    """``staff_api(role)``: an API client with a token for a staff user in that role."""

    def make(role: str = "manager"):
        from rest_framework.authtoken.models import Token

        user = StaffFactory(role=role)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        client.user = user
        return client

    return make
