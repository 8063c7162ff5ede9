"""Schemathesis over /api/schema/: every operation, with generated valid and invalid input, as a storefront
and as staff, never answers with a server error. ``OMS_FUZZ_EXAMPLES`` sets the examples per operation
(``make fuzz`` runs more)."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from oms.authentication import staff_token_create
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory, storefront_with_key

EXAMPLES = int(os.environ.get("OMS_FUZZ_EXAMPLES", "15"))
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app is called directly, so Django would close the test's database connection at the end of
    each request; keep it open, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def catalog(db):
    """Something to order: a product in stock, so generated orders can reach the placement service."""
    warehouse = WarehouseFactory(code="MAIN")
    StockItemFactory(product=ProductFactory(sku="MUG-1", price="12.50"), warehouse=warehouse, on_hand=10_000)


@pytest.fixture
def storefront_headers(catalog):
    _, key = storefront_with_key("fuzz-shop")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def staff_headers(catalog):
    _, token = staff_token_create(user=StaffFactory(role="manager"))
    return {"Authorization": f"Token {token}"}


@schema.parametrize()
@fuzz
def test_a_storefront_never_gets_a_server_error(case, storefront_headers):
    case.call_and_validate(headers=storefront_headers, checks=[not_a_server_error])


@schema.parametrize()
@fuzz
def test_staff_never_get_a_server_error(case, staff_headers):
    case.call_and_validate(headers=staff_headers, checks=[not_a_server_error])
