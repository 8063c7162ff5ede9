"""The key is claimed and its stored answer read in one statement on PostgreSQL; a first request that commits
its answer in between is caught by the unique (owner, key) when the second stores its own: the second's work
is rolled back and it answers with the first's answer, as a retry would."""

import json

import psycopg2
import pytest
from django.db import connection
from rest_framework.response import Response

from oms.idempotency import run_idempotent
from orders.models import Order
from tests.factories import OrderFactory


def _commit_an_answer_elsewhere(*, owner: str, key: str, fingerprint: str) -> None:
    """The first request's answer, committed by another connection (another gunicorn worker)."""
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    try:
        with other, other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO oms_idempotencyrecord (owner, key, request_hash, response_status, response_body, "
                "response_headers, created_at) VALUES (%s, %s, %s, 201, %s, %s, now())",
                [owner, key, fingerprint, json.dumps({"number": "FIRST123"}), json.dumps({"Location": "/first/"})],
            )
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_first_answer_committed_after_the_claim_is_replayed_and_the_second_order_rolled_back(mug):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement claim is PostgreSQL's")

    # given a request whose first twin stores its answer while this one is placing its own order
    def place_while_the_first_answers():
        OrderFactory(lines=[("MUG-1", 1)])
        _commit_an_answer_elsewhere(owner="sf:1", key="twin", fingerprint="same-body")
        return Response({"number": "SECOND"}, status=201)

    # when this one finishes
    response = run_idempotent(owner="sf:1", key="twin", fingerprint="same-body", handler=place_while_the_first_answers)

    # then it answers with the first's answer, replayed, and its own order is gone
    assert response.status_code == 201
    assert response.data == {"number": "FIRST123"}
    assert response["Idempotent-Replayed"] == "true"
    assert response["Location"] == "/first/"
    assert Order.objects.count() == 0
