"""Behind a reverse proxy every request comes from the proxy: the look-up limit counts the forwarded client."""

import pytest

PROXY = "10.0.0.2"
LIMIT = 3


@pytest.fixture(autouse=True)
def limit(settings):
    settings.OMS_LOOKUP_RATE_LIMIT = LIMIT


def wrong_guesses(client, forwarded_for: list[str]) -> int:
    """Failed look-ups through the proxy, one per X-Forwarded-For value: the status of the last one.

    Each names another order number, so only the count of the client they come from can block them.
    """
    for n, header in enumerate(forwarded_for):
        guess = {"number": f"NOPE{n:04d}", "email": "nobody@example.com"}
        response = client.post("/track/", guess, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    return response.status_code


def test_with_a_trusted_proxy_one_client_is_blocked_and_another_is_not(client, db, settings):
    # given one proxy in front of the app
    settings.OMS_TRUSTED_PROXIES = 1

    # when one customer keeps guessing
    blocked = wrong_guesses(client, ["203.0.113.7"] * (LIMIT + 1))

    # then that customer is blocked, and a customer behind the same proxy (looking up their own order) is not
    assert blocked == 429
    own = {"number": "OWN56789", "email": "other@example.com"}
    other = client.post("/track/", own, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded_for"),
    [
        # one trusted proxy, which appends the address it saw to whatever the client sent: the proxy's entry counts
        (1, [f"1.2.3.{n}, 203.0.113.7" for n in range(LIMIT)] + ["9.9.9.9, 203.0.113.7"]),
        # no proxy configured: the peer counts, whatever it forwards
        (0, [f"203.0.113.{n}" for n in range(LIMIT)] + ["203.0.113.99"]),
    ],
    ids=["a forged first entry", "no trusted proxy"],
)
def test_a_forwarded_address_the_app_does_not_trust_does_not_escape_the_limit(
    client, db, settings, proxies, forwarded_for
):
    # given
    settings.OMS_TRUSTED_PROXIES = proxies

    # when the client sends a different forwarded address with each failure
    status = wrong_guesses(client, forwarded_for)

    # then the client is blocked
    assert status == 429
