"""Webhooks go only to https URLs on public addresses (checked when subscribing and again when sending, and the
connection goes to the checked address), unless OMS_WEBHOOK_ALLOW_PRIVATE_URLS allows private ones."""

import pytest

from tests.factories import OrderFactory
from webhooks import transport
from webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://93.184.215.14/hooks",  # http
    "https://10.1.2.3/hooks",  # private
    "https://192.168.0.10/hooks",
    "https://127.0.0.1:8443/hooks",  # loopback
    "https://[::1]/hooks",
    "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
    "https://224.0.0.1/hooks",  # multicast
    "https://0.0.0.0/hooks",
    "https://[::ffff:127.0.0.1]/hooks",  # loopback written as IPv6
    "https://localhost/hooks",  # a name that resolves to 127.0.0.1
    "https://user:pw@93.184.215.14/hooks",
    "https://no-such-host.invalid/hooks",
    "ftp://93.184.215.14/hooks",
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_url_that_is_not_public_https_is_refused(api, url):
    response = api.post("/api/v1/webhooks/", {"url": url, "events": ["order.created"]}, format="json")

    assert response.status_code == 400
    assert "url" in response.json()
    assert not WebhookSubscription.objects.exists()


def test_a_public_address_passes_the_check():
    target = transport.target_check("https://93.184.215.14:8443/hooks?shop=1")

    assert (target.host, target.port, target.path, target.addresses) == (
        "93.184.215.14",
        8443,
        "/hooks?shop=1",
        ("93.184.215.14",),
    )


def test_the_development_flag_allows_http_and_loopback(api, allow_private, receiver):
    response = api.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["order.created"]}, format="json")

    assert response.status_code == 201


def test_the_address_is_checked_again_when_sending(settings, commit, mug, storefront, subscribe, receiver):
    # given a subscription to a loopback address, made while private addresses were allowed
    subscribe(events=["order.created"])
    settings.OMS_WEBHOOK_ALLOW_PRIVATE_URLS = False

    # when an event is sent
    with commit():
        OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)

    # then nothing reached the address; the delivery says why and will be tried again
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying"
    assert delivery.last_error.startswith("Not sent")


def test_the_connection_goes_to_the_checked_address_not_a_new_dns_answer(receiver):
    # given a target checked earlier: its name no longer resolves at all (or would resolve elsewhere)
    port = receiver.server.server_address[1]
    target = transport.Target("http", "rebound.invalid", port, "/hooks", ("127.0.0.1",))

    # when it is sent to
    answer = transport.post(target, body=b"{}", headers={"Content-Type": "application/json"}, timeout=2)

    # then the connection went to the checked address, asking for the host by its name
    assert answer.status == 200
    assert receiver.received[0]["headers"]["Host"] == f"rebound.invalid:{port}"


def test_redirects_are_not_followed(allow_private, receiver):
    receiver.answers = [302]
    target = transport.target_check(receiver.url)

    answer = transport.post(target, body=b"{}", headers={}, timeout=2)

    assert answer.status == 302 and len(receiver.received) == 1
