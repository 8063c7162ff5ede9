"""The portal in a real browser (Debian's chromium): follow the email link, read the timeline, cancel; rate."""

import re

import pytest
from django.conf import settings

from orders.models import Feedback, Order

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def link_from(mail, live_server) -> str:
    path = re.search(re.escape(settings.SITE_URL) + r"(/track/o/[^/\s\"]+/)", mail.body).group(1)
    return live_server.url + path


@pytest.mark.browser
def test_a_customer_follows_the_confirmation_link_sees_the_timeline_and_cancels(
    page, live_server, order_in_state, mailoutbox, screenshot
):
    # given: the confirmation email of a new order
    order = order_in_state("confirmed", customer_name="Ann Example")
    confirmation = next(m for m in mailoutbox if m.subject == f"Order {order.number} confirmed")

    # when: opened on a phone
    page.set_viewport_size(PHONE)
    page.goto(link_from(confirmation, live_server))

    # then: the order and where it is
    assert page.get_by_role("heading", name=f"Order {order.number}").is_visible()
    progress = page.get_by_role("list").filter(has_text="Being packed").first
    current = progress.locator('[aria-current="step"]')
    assert current.get_by_text("Confirmed", exact=True).is_visible()
    screenshot(page, "portal-order-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "portal-order-desktop")

    # when: cancelling, with the confirmation step
    page.get_by_role("link", name="Cancel this order").click()
    page.get_by_label("Why are you cancelling? (optional)").fill("Ordered the wrong colour")
    screenshot(page, "portal-cancel-confirm-desktop")
    page.get_by_role("button", name="Yes, cancel my order").click()

    # then
    assert page.get_by_role("status").filter(has_text="Your order is cancelled.").is_visible()
    assert page.get_by_role("heading", name=re.compile("This order was cancelled")).is_visible()
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    screenshot(page, "portal-order-cancelled-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "portal-order-cancelled-phone")


@pytest.mark.browser
def test_a_customer_finds_a_delivered_order_by_number_and_email_and_rates_it(
    page, live_server, order_in_state, screenshot
):
    # given
    order = order_in_state("delivered", customer_email="bo@example.com")

    # when: the look-up form, on a phone
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/track/")
    screenshot(page, "portal-lookup-phone")
    page.get_by_label("Order number").fill(order.number.lower())
    page.get_by_label("Email address").fill("BO@example.com")
    page.get_by_role("button", name="Find my order").click()

    # then: the order, ready to be rated
    assert page.get_by_role("heading", name=f"Order {order.number}").is_visible()
    page.get_by_label("4 stars").check()
    page.get_by_label("Anything you would like to tell us? (optional)").fill("Arrived a day early.")
    screenshot(page, "portal-rating-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "portal-rating-desktop")

    # when
    page.get_by_role("button", name="Send rating").click()

    # then
    assert page.get_by_role("status").filter(has_text="Thank you for rating your order!").is_visible()
    assert page.get_by_text("4 out of 5 stars").count() == 1
    feedback = Feedback.objects.get(order=order)
    assert (feedback.rating, feedback.comment) == (4, "Arrived a day early.")
    screenshot(page, "portal-rated-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "portal-rated-phone")


@pytest.mark.browser
def test_the_look_up_and_its_refusals_at_both_widths(page, live_server, db, screenshot, settings):
    # given
    settings.OMS_LOOKUP_RATE_LIMIT = 1
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/track/")
    screenshot(page, "portal-lookup-desktop")

    # when: a wrong pair
    page.get_by_label("Order number").fill("ZZZZZZZZ")
    page.get_by_label("Email address").fill("nobody@example.com")
    page.get_by_role("button", name="Find my order").click()

    # then
    assert page.get_by_role("alert").filter(has_text="We could not find an order").is_visible()
    screenshot(page, "portal-lookup-not-found-desktop")

    # when: once more, over the limit
    page.get_by_role("button", name="Find my order").click()

    # then
    assert page.get_by_role("heading", name="Too many tries").is_visible()
    page.set_viewport_size(PHONE)
    screenshot(page, "portal-lookup-rate-limited-phone")

    # when: a broken link
    page.goto(f"{live_server.url}/track/o/ABCDEFGH:broken:link/")

    # then
    assert page.get_by_role("heading", name="This link does not work any more").is_visible()
    assert page.get_by_role("button", name="Find my order").is_visible()
    screenshot(page, "portal-link-invalid-phone")
