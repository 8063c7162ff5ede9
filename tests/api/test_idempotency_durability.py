"""An ``Idempotency-Key`` can never yield a second order: the key is claimed, the order made and the answer
stored in one transaction; stored answers expire and are purged, with the outbox's old messages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient

from oms.idempotency import idempotency_records_purge, run_idempotent
from oms.models import IdempotencyRecord, OutboxMessage
from oms.outbox import outbox_purge
from orders.models import Order
from tests.factories import OrderFactory


def post(client, body, key):
    return client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


class RequestDied(BaseException):
    """What a request killed half-way looks like from inside: it never answers."""


@pytest.mark.django_db
def test_a_request_that_dies_after_saving_its_order_leaves_no_order_and_no_key(mug, api, order_body):
    # given a placement that dies after its order was written, before it could answer
    def place_then_die():
        OrderFactory(lines=[("MUG-1", 1)])
        raise RequestDied

    with pytest.raises(RequestDied):
        run_idempotent(owner="storefront:1", key="retry-me", fingerprint="f", handler=place_then_die)

    # then nothing of it is left: no order, no key held "in progress"
    assert Order.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_the_retry_of_a_dead_request_places_exactly_one_order(mug, api, storefront, order_body):
    # given the first attempt with key K died half-way
    def die():
        OrderFactory(lines=[("MUG-1", 1)])
        raise RequestDied

    with pytest.raises(RequestDied):
        run_idempotent(owner=f"sf:{storefront.pk}", key="K", fingerprint="f", handler=die)

    # when the storefront retries with the same key, twice
    first = post(api, order_body, "K")
    second = post(api, order_body, "K")

    # then one order exists, and both answers name it
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["number"] == first.json()["number"]
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_make_one_order(postgres_only, parallel, storefront, mug, order_body):
    # given two copies of one request sent at the same moment
    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {storefront.key}")
        return post(client, order_body, "same-key")

    # when both run
    answers = parallel([send, send])

    # then one order was made; each answer is either it or "still being processed"
    assert Order.objects.count() == 1
    number = Order.objects.get().number
    for answer in answers:
        assert (answer.status_code, answer.json().get("number", answer.json().get("code"))) in {
            (201, number),
            (409, "idempotency_in_progress"),
        }


@pytest.mark.django_db
def test_an_expired_answer_is_not_replayed_and_is_purged(settings, mug, api, order_body):
    # given an answer stored eight days ago, with a 7-day lifetime
    settings.OMS_IDEMPOTENCY_TTL_DAYS = 7
    first = post(api, order_body, "old-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=8))

    # when the same key comes again
    again = post(api, order_body, "old-key")

    # then it is a new request: a second order, stored afresh
    assert again.status_code == 201
    assert again.json()["number"] != first.json()["number"]
    assert "Idempotent-Replayed" not in again

    # and the purge job removes answers past their lifetime only
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=8))
    run_idempotent(owner="x", key="fresh", fingerprint="f", handler=lambda: Response({"ok": 1}, status=201))
    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


@pytest.mark.django_db
def test_the_outbox_purge_keeps_pending_and_recent_messages(settings):
    settings.OMS_OUTBOX_RETENTION_DAYS = 7
    now = timezone.now()
    old = OutboxMessage.objects.create(task_name="t", dispatched_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name="t", dispatched_at=now - timedelta(days=1))
    pending = OutboxMessage.objects.create(task_name="t")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=now - timedelta(days=30))

    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
