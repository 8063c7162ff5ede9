"""Placement takes its Idempotency-Key along its first read and stores its answer with its last write: a key costs
it no statement of its own, and a key another request holds still gets 409 with nothing written."""

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.models import StockItem
from orders.models import Order

pytestmark = pytest.mark.django_db


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/orders/", body, format="json", **headers)


def _statements(client, body, key=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert post(client, body, key).status_code == 201
    # the savepoints are the test's: it runs in a transaction of its own, where the request's is a savepoint
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


def test_a_key_costs_a_placement_no_statement(postgres_only, api, mug, order_body):
    # given a placement without a key, so the next ones find the rules they screen with known
    post(api, order_body)

    # when one more is placed without a key and one with
    without = _statements(api, order_body)
    with_key = _statements(api, order_body, key="order-7")

    # then the claim and the stored answer rode along the placement's own statements
    assert with_key == without


def test_a_key_held_by_another_request_is_409_and_writes_nothing(postgres_only, api, storefront, mug, order_body):
    # given another session holding the storefront's key "order-8"
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(hashtextextended(%s, 0))", [f"idempotency:sf:{storefront.pk}:order-8"]
            )

        # when the storefront posts with it
        answer = post(api, order_body, key="order-8")
    finally:
        other.close()

    # then it is told to retry shortly, and no order, customer or reservation was made
    assert (answer.status_code, answer.json()["code"]) == (409, "idempotency_in_progress")
    assert Order.objects.count() == 0
    assert StockItem.objects.get(product=mug).reserved == 0
