"""Signed links: a valid one opens the order; a tampered or expired one gets a friendly page with the look-up."""

import time
from unittest import mock

import pytest
from django.core import signing

from portal.links import tracking_token


@pytest.fixture
def order(order_in_state):
    return order_in_state("confirmed")


def test_a_valid_link_opens_the_order(client, order, link):
    # when
    response = client.get(link(order))

    # then
    assert response.status_code == 200
    assert f"Order {order.number}" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="signature changed"),
        pytest.param(lambda t: "ZZZZZZZZ" + t[8:], id="another order number"),
        pytest.param(lambda t: t.split(":")[0], id="signature cut off"),
        pytest.param(lambda t: "nonsense", id="nonsense"),
    ],
)
def test_a_tampered_link_gets_a_friendly_page_with_the_look_up_form(tamper, client, order):
    # when
    response = client.get(f"/track/o/{tamper(tracking_token(order.number))}/")

    # then
    page = response.content.decode()
    assert response.status_code == 404
    assert "This link does not work any more" in page
    assert "Find my order" in page and 'action="/track/"' in page
    assert order.number not in page


def test_an_expired_link_says_so_and_offers_the_look_up(client, order, settings):
    # given: a link made longer ago than links live
    long_ago = int(time.time()) - (settings.OMS_TRACKING_LINK_MAX_AGE_DAYS + 1) * 86400
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=signing.b62_encode(long_ago)):
        token = tracking_token(order.number)

    # when
    response = client.get(f"/track/o/{token}/")

    # then
    page = response.content.decode()
    assert response.status_code == 404
    assert "This link has expired" in page
    assert "Find my order" in page
    assert order.number not in page


def test_a_link_just_inside_its_lifetime_still_works(client, order, settings):
    # given
    recently = int(time.time()) - (settings.OMS_TRACKING_LINK_MAX_AGE_DAYS - 1) * 86400
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=signing.b62_encode(recently)):
        token = tracking_token(order.number)

    # then
    assert client.get(f"/track/o/{token}/").status_code == 200


@pytest.mark.parametrize("action", ["cancel", "inquiry", "feedback"])
def test_actions_under_a_tampered_link_are_refused_and_change_nothing(action, client, order, order_snapshot):
    # given
    before = order_snapshot(order)
    token = tracking_token(order.number)[:-2] + "xx"

    # when
    response = client.post(f"/track/o/{token}/{action}/", {"message": "Hi", "rating": "5", "reason": "x"})

    # then
    assert response.status_code == 404
    assert order_snapshot(order) == before
    assert not order.inquiries.exists()


def test_an_orders_link_is_the_same_all_day_and_new_the_next(order):
    # given three moments: early and late on one day, and the next day
    day_start = int(time.time()) // 86400 * 86400
    moments = [day_start + 60, day_start + 86399, day_start + 86400 + 60]

    # when the order's link is made at each
    tokens = []
    for moment in moments:
        with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=signing.b62_encode(moment)):
            tokens.append(tracking_token(order.number))

    # then the day's two are the same, and the next day's differs
    assert tokens[0] == tokens[1] != tokens[2]


@pytest.mark.parametrize("name", ["order", "cancel", "inquiry", "feedback", "payment"])
def test_a_page_link_is_the_path_reverse_gives_under_the_sites_prefix(name):
    from django.urls import reverse, set_script_prefix

    from portal.links import tracking_path, tracking_token

    assert tracking_path("N7L69Q4Y", name) == reverse(f"portal:{name}", kwargs={"token": tracking_token("N7L69Q4Y")})
    set_script_prefix("/shop/")
    try:
        assert tracking_path("N7L69Q4Y", name).startswith("/shop/track/o/N7L69Q4Y:")
    finally:
        set_script_prefix("/")
