"""A manager in a real browser: adds a storefront's webhook, sees the secret once, watches a delivery and
redelivers it; the pages pass axe-core's WCAG 2.1 AA checks."""

import pytest

from tests.accessibility.test_axe import violations
from tests.factories import OrderFactory, StaffFactory
from webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.browser


def test_manager_adds_a_webhook_and_redelivers(
    page, live_server, browser_login, screenshot, allow_private, receiver, storefront, mug, commit
):
    browser_login(page, StaffFactory(role="manager"))
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="Integrations").click()
    page.wait_for_url("**/dashboard/integrations/webhooks/")
    found = violations(page)

    page.get_by_label("URL").fill(receiver.url)
    page.get_by_role("button", name="Add subscription").click()
    page.get_by_role("heading", name="Webhook subscription added").wait_for()
    subscription = WebhookSubscription.objects.get()
    assert page.locator("#webhook-secret").inner_text() == subscription.secret
    screenshot(page, "dashboard-webhook-added")

    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    page.get_by_role("link", name="Open the subscription").click()
    delivery = WebhookDelivery.objects.filter(event__type="order.created").get()
    page.get_by_text(delivery.event.public_id).wait_for()
    found += violations(page)
    screenshot(page, "dashboard-webhook-deliveries")
    sent = len(receiver.received)

    page.get_by_role("button", name=f"Redeliver {delivery.event.public_id}").click()
    page.get_by_text(f"Event {delivery.event.public_id} is being sent again.").wait_for()
    assert len(receiver.received) == sent + 1
    assert subscription.secret not in page.content()
    assert found == [], "\n".join(found)
