"""The app behind pgbouncer in transaction pooling mode, as docker-compose runs it (DATABASE_POOLER=pgbouncer).

Each statement's transaction may run on a different server connection, so nothing may rely on session
state: row locks and advisory locks are per transaction, results are fetched client-side. bin/pgbouncer-up
starts a real pgbouncer on 127.0.0.1:6432 in front of the test PostgreSQL; every connection the test makes
(the test's own and each thread's) goes through it.
"""

import copy
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from inventory.models import StockItem
from oms.models import Storefront
from orders.models import Order
from tests.conftest import ORDER_BODY
from tests.factories import ProductFactory, StockItemFactory, storefront_with_key

ROOT = Path(__file__).resolve().parents[3]
PGBOUNCER_PORT = "6432"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pooled(postgres_only, transactional_db):
    """Every database connection made from here on goes through pgbouncer (transaction pooling)."""
    default = connections.settings["default"]
    if (default["HOST"] or "127.0.0.1") not in ("127.0.0.1", "localhost") or str(default["PORT"] or 5432) != "5432":
        pytest.skip("bin/pgbouncer-up pools the PostgreSQL on 127.0.0.1:5432 only")
    try:
        done = subprocess.run([ROOT / "bin" / "pgbouncer-up"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"bin/pgbouncer-up could not start pgbouncer: {exc}")
    if done.returncode != 0:
        pytest.skip(f"bin/pgbouncer-up could not start pgbouncer: {(done.stderr or done.stdout).strip()}")
    saved = {key: default.get(key) for key in ("PORT", "DISABLE_SERVER_SIDE_CURSORS", "CONN_MAX_AGE")}
    changes = {"PORT": PGBOUNCER_PORT, "DISABLE_SERVER_SIDE_CURSORS": True, "CONN_MAX_AGE": 60}
    connection.close()
    default.update(changes)
    connection.settings_dict.update(changes)
    yield
    connection.close()
    default.update(saved)
    connection.settings_dict.update(saved)
    _pooler_lets_go(default["NAME"])


def _pooler_lets_go(database: str) -> None:
    """Close pgbouncer's server connections to the test database, which can then be dropped at the end."""
    admin = psycopg2.connect(host="127.0.0.1", port=PGBOUNCER_PORT, user="postgres", dbname="pgbouncer")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'KILL "{database}"')
            cursor.execute(f'RESUME "{database}"')
    finally:
        admin.close()


@pytest.fixture
def shop(db):
    storefront, key = storefront_with_key("pooled-shop")
    product = ProductFactory(sku="MUG-1", price="12.50", weight_kg="0.400")
    StockItemFactory(product=product, warehouse__code="MAIN", on_hand=5)
    return key


def _place(key: str, idempotency_key: str | None = None):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    headers = {"HTTP_IDEMPOTENCY_KEY": idempotency_key} if idempotency_key else {}
    body = {**copy.deepcopy(ORDER_BODY), "lines": [{"sku": "MUG-1", "quantity": 1}]}
    return client.post("/api/v1/orders/", body, format="json", **headers)


def _through_the_pooler() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SHOW port")  # the server's own port, seen through the pooler: 5432
        return connection.settings_dict["PORT"] == PGBOUNCER_PORT and cursor.fetchone()[0] == "5432"


def test_parallel_placements_never_oversell_through_the_pooler(pooled, shop, parallel):
    assert _through_the_pooler()

    answers = parallel([lambda: _place(shop) for _ in range(8)])

    assert sorted({answer.status_code for answer in answers}) == [201]
    stock = StockItem.objects.get(product__sku="MUG-1")
    assert stock.reserved == 5
    assert Order.objects.count() == 8
    assert Order.objects.filter(status="on_hold", hold_reason="out_of_stock").count() == 3


def test_an_idempotency_key_sent_in_parallel_makes_one_order_through_the_pooler(pooled, shop, parallel):
    answers = parallel([lambda: _place(shop, "same-key") for _ in range(4)])

    assert Order.objects.count() == 1
    numbers = {answer.json().get("number") for answer in answers if answer.status_code == 201}
    assert numbers == {Order.objects.get().number}
    assert {answer.status_code for answer in answers} <= {201, 409}


def test_large_reads_and_pages_work_through_the_pooler(pooled, shop, client, django_user_model):
    for _ in range(3):
        assert _place(shop).status_code == 201
    # a queryset read with .iterator() (a server-side cursor unless the pooler setting turns them off)
    assert len(list(Order.objects.iterator(chunk_size=1))) == 3

    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    page = client.get("/dashboard/orders/")

    assert page.status_code == 200
    assert Storefront.objects.count() == 1
