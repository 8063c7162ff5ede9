"""``seed_demo`` prints the orders the README's examples use (``export ORDER=…``), each an order of the fresh
demo in the state its example needs, and the storefront's key reads its own."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from orders.models import Order


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_orders_exist_on_a_fresh_demo(reference_data, fast_password_hashing, settings):
    # given a development setup
    settings.DEBUG = True
    out = StringIO()

    # when
    call_command("seed_demo", "--orders", "60", "--customers", "20", "--seed", "7", stdout=out)

    # then
    text = out.getvalue()
    examples = dict(re.findall(r"^\s+export (\w+)=(\w+)$", text, re.M))
    assert set(examples) == {"ORDER", "DECLINED", "STAFF_ORDER", "SHIPPED", "DELIVERED"}
    orders = {name: Order.objects.get(number=number) for name, number in examples.items()}
    assert orders["ORDER"].status == "confirmed" and orders["STAFF_ORDER"].status == "confirmed"
    assert orders["ORDER"] != orders["STAFF_ORDER"]
    assert (orders["DECLINED"].status, orders["DECLINED"].hold_reason) == ("on_hold", "payment_failed")
    assert orders["SHIPPED"].status == "shipped"
    assert orders["DELIVERED"].status == "delivered"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer " + re.search(r"Storefront API key: (sk_\S+)", text).group(1))
    for name in ("ORDER", "DECLINED", "DELIVERED"):
        assert api.get(f"/api/v1/orders/{examples[name]}/").status_code == 200, name
    # the README's return example works on it
    line = next(li for li in orders["DELIVERED"].lines.all() if li.quantity_returned < li.quantity_shipped)
    body = {"lines": [{"sku": line.sku, "quantity": 1, "reason": "damaged"}]}
    returned = api.post(f"/api/v1/orders/{examples['DELIVERED']}/returns/", body, format="json")
    assert returned.status_code == 201, returned.json()
