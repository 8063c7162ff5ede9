"""Behind a reverse proxy every request comes from the proxy: the look-up limit counts the forwarded client."""

import pytest

WRONG = {"number": "NOPE1234", "email": "nobody@example.com"}


def fail_until_blocked(client, *, forwarded_for: str, limit: int) -> int:
    for _ in range(limit):
        client.post("/track/", WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post("/track/", WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for).status_code


@pytest.fixture
def limit(settings):
    settings.OMS_LOOKUP_RATE_LIMIT = 3
    return 3


def test_with_a_trusted_proxy_one_client_is_blocked_and_another_is_not(client, db, settings, limit):
    # given one proxy in front of the app
    settings.OMS_TRUSTED_PROXIES = 1

    # when one customer keeps guessing
    blocked = fail_until_blocked(client, forwarded_for="203.0.113.7", limit=limit)

    # then that customer is blocked, and a customer behind the same proxy (looking up their own order) is not
    assert blocked == 429
    own = {"number": "OWN56789", "email": "other@example.com"}
    other = client.post("/track/", own, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 200


def test_a_forged_header_does_not_escape_the_limit(client, db, settings, limit):
    # given one trusted proxy, which appends the address it saw to whatever the client sent
    settings.OMS_TRUSTED_PROXIES = 1

    # when the client forges a different first entry each time
    for n in range(limit):
        client.post("/track/", WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7")
    response = client.post("/track/", WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")

    # then the proxy's entry counts, and the client is blocked
    assert response.status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, db, settings, limit):
    # given no proxy configured
    settings.OMS_TRUSTED_PROXIES = 0

    # when the failures come with different forwarded addresses from one peer
    for n in range(limit):
        client.post("/track/", WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post("/track/", WRONG, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.99")

    # then the peer is blocked
    assert response.status_code == 429
