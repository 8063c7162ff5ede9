"""A customer whose card was declined pays again from the order page with a new card, and is told how it went."""

import pytest
from django.core import mail

from orders.models import Order


@pytest.fixture
def declined(mug, declined_order) -> Order:
    """An order on hold because its card was declined."""
    return declined_order(lines=[("MUG-1", 1)])


def test_the_order_page_offers_to_pay_with_another_card(client, declined, link):
    page = link(declined)  # the form posts under the token the page was opened with (a fresh one may differ)

    html = client.get(page).text

    assert "Pay with another card" in html
    assert f'action="{page}payment/"' in html


def test_a_new_card_accepted_confirms_the_order(client, declined, link, commit):
    # when the customer pays with a card that is accepted
    with commit():
        response = client.post(link(declined, "payment"), {"token": "tok_ok"}, follow=True)

    # then the order goes on and the page says so
    order = Order.objects.get(pk=declined.pk)
    assert order.status == "confirmed"
    assert "your new card was accepted and your order is confirmed" in response.text
    assert "Pay with another card" not in response.text
    assert any(m.subject == f"Order {order.number} confirmed" for m in mail.outbox)


def test_a_new_card_declined_too_says_so_and_offers_another_try(client, declined, link, commit):
    # when the new card is declined as well
    with commit():
        response = client.post(link(declined, "payment"), {"token": "tok_decline"}, follow=True)

    # then the order stays held, the customer reads why and may try again
    order = Order.objects.get(pk=declined.pk)
    assert (order.status, order.hold_reason) == ("on_hold", "payment_failed")
    assert "This card was declined too" in response.text and "Nothing was charged" in response.text
    assert "Pay with another card" in response.text


@pytest.mark.parametrize(
    ("token", "error"),
    [
        ("", "Enter the new card&#x27;s token."),
        ("tok with spaces", "without spaces"),
        ("x" * 300, "at most"),
    ],
)
def test_a_bad_token_is_shown_beside_the_field_and_nothing_changes(
    client, declined, link, order_snapshot, token, error
):
    # given
    before = order_snapshot(declined)

    # when
    response = client.post(link(declined, "payment"), {"token": token})

    # then
    assert response.status_code == 400
    assert error in response.text
    assert order_snapshot(declined) == before


def test_an_order_not_held_for_its_payment_cannot_be_paid_again(client, order_in_state, link, order_snapshot):
    # given a confirmed order
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when someone posts a card for it anyway
    response = client.post(link(order, "payment"), {"token": "tok_ok"}, follow=True)

    # then
    assert "There is nothing to pay for this order now." in response.text
    assert "Pay with another card" not in response.text
    assert order_snapshot(order) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_busy_order_asks_to_try_again(client, declined, link, order_snapshot, order_locked_elsewhere):
    # given
    before = order_snapshot(declined)

    # when the customer pays while someone else holds the order's row
    with order_locked_elsewhere(declined):
        response = client.post(link(declined, "payment"), {"token": "tok_ok"}, follow=True)

    # then
    assert "Someone else is changing this order right now" in response.text
    assert order_snapshot(declined) == before
