"""The ``exchange`` payment method pays replacement orders only: a storefront cannot place a free order with it."""

import pytest

from orders.models import Order

pytestmark = pytest.mark.django_db


def test_a_storefront_cannot_pay_by_exchange(api, mug, order_body):
    order_body["payment"] = {"method": "exchange"}

    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="free-mugs")

    assert response.status_code == 400
    assert "method" in response.json()["payment"]
    assert not Order.objects.exists()


def test_placement_refuses_it_unless_a_replacement_is_placed(mug):
    from orders.exceptions import InvalidOrder
    from tests.factories import OrderFactory

    with pytest.raises(InvalidOrder) as refused:
        OrderFactory(lines=[("MUG-1", 1)], payment_method="exchange", payment_token="")

    assert "exchange" not in refused.value.fields["payment"]["method"][0]
    assert not Order.objects.exists()
