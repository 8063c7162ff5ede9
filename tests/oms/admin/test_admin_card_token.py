"""The admin never shows a payment's card token, not even to a superuser."""

import pytest

from payments.models import Payment
from tests.factories import StaffFactory

TOKEN = "tok_4242_visible_nowhere"


@pytest.mark.django_db
def test_payment_pages_do_not_show_the_card_token(client, order_in_state):
    # given: a card payment whose token is stored
    order = order_in_state("confirmed")
    payment = Payment.objects.get(order=order)
    Payment.objects.filter(pk=payment.pk).update(token=TOKEN)
    client.force_login(StaffFactory(is_superuser=True))

    # when
    pages = [
        client.get("/admin/payments/payment/"),
        client.get(f"/admin/payments/payment/{payment.pk}/change/"),
        client.get(f"/admin/orders/order/{order.pk}/change/"),
    ]

    # then: the pages open, the payment is there, the token is not
    for page in pages:
        assert page.status_code == 200
        assert TOKEN not in page.content.decode()
    assert payment.gateway_reference and payment.gateway_reference in pages[1].content.decode()
