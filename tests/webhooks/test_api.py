"""The subscriptions API: a storefront makes, lists and deletes its own subscriptions and reads their deliveries."""

import pytest
from rest_framework.test import APIClient

from tests.factories import OrderFactory, storefront_with_key
from webhooks.models import WebhookSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_api(db):
    _, key = storefront_with_key("other-shop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _create(api, url, events=("order.created",), **headers):
    return api.post("/api/v1/webhooks/", {"url": url, "events": list(events)}, format="json", **headers)


def test_a_subscription_is_made_and_its_secret_shown_once(api, allow_private, receiver):
    response = _create(api, receiver.url, ["order.created", "order.shipped"])

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "url", "events", "secret", "is_active"}
    assert body["url"] == receiver.url and body["events"] == ["order.created", "order.shipped"]
    assert body["is_active"] is True and body["secret"].startswith("whsec_")
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert [s["id"] for s in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in api.get(f"/api/v1/webhooks/{body['id']}/").json()


def test_a_retry_with_the_same_idempotency_key_makes_one_subscription(api, allow_private, receiver):
    first = _create(api, receiver.url, HTTP_IDEMPOTENCY_KEY="sub-1")
    again = _create(api, receiver.url, HTTP_IDEMPOTENCY_KEY="sub-1")

    assert again.status_code == 201 and again.json() == first.json()
    assert WebhookSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://93.184.215.14/h", "events": ["order.exploded"]}, "events"),
        ({"url": "https://93.184.215.14/h", "events": []}, "events"),
        ({"url": "https://93.184.215.14/h"}, "events"),
        ({"url": "not a url", "events": ["order.created"]}, "url"),
        ({"events": ["order.created"]}, "url"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(api, body, field):
    response = api.post("/api/v1/webhooks/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not WebhookSubscription.objects.exists()


def test_delete(api, allow_private, receiver):
    subscription_id = _create(api, receiver.url).json()["id"]

    assert api.delete(f"/api/v1/webhooks/{subscription_id}/").status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert api.delete(f"/api/v1/webhooks/{subscription_id}/").status_code == 404


def test_another_storefronts_subscription_is_not_found(api, other_api, allow_private, receiver):
    subscription_id = _create(api, receiver.url).json()["id"]

    for response in (
        other_api.get(f"/api/v1/webhooks/{subscription_id}/"),
        other_api.get(f"/api/v1/webhooks/{subscription_id}/deliveries/"),
        other_api.delete(f"/api/v1/webhooks/{subscription_id}/"),
    ):
        assert response.status_code == 404
    assert other_api.get("/api/v1/webhooks/").json()["results"] == []
    assert WebhookSubscription.objects.count() == 1


def test_staff_tokens_and_anonymous_callers_are_refused(staff_api, client):
    assert staff_api("manager").get("/api/v1/webhooks/").status_code == 403
    assert client.get("/api/v1/webhooks/").status_code == 401
    assert client.get("/api/v1/webhooks/not-a-uuid/deliveries/").status_code == 401


def test_deliveries_newest_first(api, commit, mug, storefront, allow_private, receiver):
    # given a subscription that was sent two orders' events, the second failing
    subscription_id = _create(api, receiver.url).json()["id"]
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    receiver.answers = [500]
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    # when the storefront reads the deliveries
    rows = api.get(f"/api/v1/webhooks/{subscription_id}/deliveries/").json()["results"]

    # then newest first, with what happened to each
    assert [r["status"] for r in rows] == ["retrying", "delivered"]
    newest, oldest = rows
    assert set(newest) == {
        "event_id",
        "type",
        "status",
        "attempts",
        "last_status_code",
        "next_retry_at",
        "delivered_at",
        "created_at",
    }
    assert (newest["type"], newest["attempts"], newest["last_status_code"]) == ("order.created", 1, 500)
    assert newest["next_retry_at"] is not None and newest["delivered_at"] is None
    assert oldest["delivered_at"] is not None and oldest["next_retry_at"] is None
    assert oldest["event_id"] == receiver.payloads()[0]["id"]
    assert api.get("/api/v1/webhooks/not-a-uuid/deliveries/").status_code == 404


def test_a_storefront_has_at_most_twenty_subscriptions(api, allow_private, receiver):
    for _ in range(20):
        assert _create(api, receiver.url).status_code == 201

    response = _create(api, receiver.url)

    assert response.status_code == 422 and response.json()["code"] == "too_many_subscriptions"
    assert WebhookSubscription.objects.count() == 20
