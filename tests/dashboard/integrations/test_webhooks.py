"""Managers manage every storefront's webhook subscriptions on the dashboard and redeliver any delivery."""

import pytest

from tests.dashboard.roles import ROLES
from tests.factories import OrderFactory
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_subscription_create, webhook_subscription_disable

pytestmark = pytest.mark.django_db

MANAGERS = {"manager"}


@pytest.fixture
def subscription(allow_private, storefront, receiver):
    return webhook_subscription_create(storefront=storefront, url=receiver.url, events=["order.created"])


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_managers_reach_the_pages_and_actions(staff_client, role, subscription, storefront):
    client = staff_client(role)
    pages = ["/dashboard/integrations/webhooks/", f"/dashboard/integrations/webhooks/{subscription.pk}/"]
    posts = [
        ("/dashboard/integrations/webhooks/new/", {"storefront": storefront.pk, "url": "https://93.184.215.14/h"}),
        (f"/dashboard/integrations/webhooks/{subscription.pk}/disable/", {}),
    ]

    codes = [client.get(url).status_code for url in pages] + [client.post(url, data).status_code for url, data in posts]

    if role in MANAGERS:
        assert codes[:2] == [200, 200] and codes[2] in (200, 400) and codes[3] == 302
    else:
        assert codes == [403, 403, 403, 403]
        subscription.refresh_from_db()
        assert subscription.is_active and WebhookSubscription.objects.count() == 1


def test_a_manager_adds_a_subscription_and_sees_its_secret_once(staff_client, storefront, allow_private, receiver):
    client = staff_client("manager")

    page = client.post(
        "/dashboard/integrations/webhooks/new/",
        {"storefront": storefront.pk, "url": receiver.url, "events": ["order.created", "order.shipped"]},
    )

    subscription = WebhookSubscription.objects.get()
    assert page.status_code == 200 and subscription.secret in page.text
    assert subscription.events == ["order.created", "order.shipped"]
    assert subscription.secret not in client.get(f"/dashboard/integrations/webhooks/{subscription.pk}/").text
    assert subscription.secret not in client.get("/dashboard/integrations/webhooks/").text


def test_a_refused_url_is_shown_beside_the_field(staff_client, storefront):
    page = staff_client("manager").post(
        "/dashboard/integrations/webhooks/new/",
        {"storefront": storefront.pk, "url": "https://127.0.0.1/h", "events": ["order.created"]},
    )

    assert page.status_code == 400 and "not public" in page.text
    assert not WebhookSubscription.objects.exists()


def test_redeliver_sends_a_delivered_event_again(staff_client, commit, mug, storefront, subscription, receiver):
    # given a delivered event
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    delivery = WebhookDelivery.objects.get(status="delivered")
    client = staff_client("manager")
    assert delivery.event.public_id in client.get(f"/dashboard/integrations/webhooks/{subscription.pk}/").text

    # when a manager redelivers it
    with commit():
        answer = client.post(f"/dashboard/integrations/webhooks/deliveries/{delivery.pk}/redeliver/")

    # then the receiver gets the same event again
    assert answer.status_code == 302
    first, second = receiver.received
    assert first["body"] == second["body"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert client.post("/dashboard/integrations/webhooks/deliveries/999999999/redeliver/").status_code == 404


def test_a_disabled_subscription_is_shown_with_its_reason(staff_client, subscription):
    webhook_subscription_disable(
        subscription_id=subscription.pk, reason="Disabled automatically: every delivery failed"
    )

    page = staff_client("manager").get("/dashboard/integrations/webhooks/").text

    assert "Disabled subscriptions" in page and "every delivery failed" in page
