"""``Idempotency-Key`` on order placement: a retry gets the first answer and places nothing new."""

import pytest
from rest_framework.test import APIClient

from inventory.models import StockItem
from oms.models import IdempotencyRecord
from orders.models import Customer, Order
from tests.factories import storefront_with_key


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/orders/", body, format="json", **headers)


def test_a_retry_with_the_same_key_and_body_gets_the_first_answer(api, mug, order_body):
    # given
    first = post(api, order_body, key="order-42")

    # when
    retry = post(api, order_body, key="order-42")

    # then
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["Location"] == first["Location"] == f"/api/v1/orders/{first.json()['number']}/"
    assert Order.objects.count() == 1
    assert Customer.objects.count() == 1
    assert StockItem.objects.get(product=mug).reserved == 2


def test_the_same_key_with_another_body_is_409(api, mug, order_body, order_snapshot):
    # given
    first = post(api, order_body, key="order-42")
    order = Order.objects.get(number=first.json()["number"])
    before = order_snapshot(order)
    order_body["lines"][0]["quantity"] = 3

    # when
    response = post(api, order_body, key="order-42")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1
    assert order_snapshot(order) == before


def test_the_same_key_with_a_body_that_is_not_valid_is_409(api, mug, order_body):
    # given an order placed with a key
    first = post(api, order_body, key="order-42")

    # when the key comes again with a body that fails the checks
    retry = post(api, {"lines": []}, key="order-42")

    # then the used key answers first, as for any other body, and nothing more is written
    assert (first.status_code, retry.status_code) == (201, 409)
    assert retry.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_keys_belong_to_one_storefront(api, mug, order_body):
    # given storefront A used a key
    first = post(api, order_body, key="order-42")
    _, other_key = storefront_with_key("other shop")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {other_key}")

    # when storefront B sends the same key and body
    response = post(other, order_body, key="order-42")

    # then B gets its own order
    assert response.status_code == 201
    assert response.json()["number"] != first.json()["number"]
    assert Order.objects.count() == 2


def test_without_a_key_each_post_places_an_order(api, mug, order_body):
    # when
    numbers = {post(api, order_body).json()["number"], post(api, order_body).json()["number"]}

    # then
    assert len(numbers) == 2
    assert Order.objects.count() == 2


def test_a_rejected_request_does_not_use_up_its_key(api, mug, order_body):
    # given a request refused as invalid
    bad = dict(order_body, shipping_method="teleport")
    assert post(api, bad, key="order-42").status_code == 400

    # when the client fixes the body and retries with the same key
    response = post(api, order_body, key="order-42")

    # then
    assert response.status_code == 201
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", ["k" * 256, "order\x0042"])
def test_an_unusable_key_is_400(key, api, mug, order_body):
    # when
    response = post(api, order_body, key=key)

    # then
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert Order.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.parametrize("replays", [2, 3])
def test_replays_keep_answering_the_same(replays, api, mug, order_body):
    # given
    first = post(api, order_body, key="order-42").json()

    # when
    answers = [post(api, order_body, key="order-42").json() for _ in range(replays)]

    # then
    assert all(answer == first for answer in answers)
    assert Order.objects.count() == 1
