"""The portal's order page tells a bank-transfer customer how to pay, as the email does."""

from django.conf import settings

from orders.selectors.unpaid import unpaid_cancel_on
from orders.services import order_mark_paid
from tests.factories import StaffFactory


def test_the_order_page_shows_amount_account_reference_and_last_day(client, order_in_state, link):
    # given an order waiting for its bank transfer
    order = order_in_state("credit_approved")

    # when the customer opens the order page
    html = client.get(link(order)).text

    # then it says how to pay, not only that we wait
    assert "How to pay by bank transfer" in html
    assert f"{order.total} {order.currency}" in html
    assert settings.OMS_BANK_IBAN in html and settings.OMS_BANK_BIC in html and settings.OMS_BANK_ACCOUNT_NAME in html
    assert f'<strong class="tracking">{order.number}</strong>' in html
    cancel_on = unpaid_cancel_on(order=order)
    assert f"{cancel_on:%A}, {cancel_on.day} {cancel_on:%B %Y}" in html


def test_a_paid_order_shows_no_bank_details(client, order_in_state, link, commit):
    # given the transfer arrived
    order = order_in_state("credit_approved")
    with commit():
        order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"))

    # when
    html = client.get(link(order)).text

    # then
    assert "How to pay by bank transfer" not in html
    assert settings.OMS_BANK_IBAN not in html
