"""On account: offered only to customers with credit terms, showing the credit remaining; over it, on hold."""

from decimal import Decimal

from orders.models import Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory, OrderFactory

URL = "/dashboard/orders/new/"


def _on_account_customer(limit="100.00"):
    return CustomerFactory(name="Acme Ltd", payment_terms="on_account", credit_limit=Decimal(limit))


def test_credit_remaining_is_limit_minus_outstanding(staff_client, mug, commit):
    customer = _on_account_customer("100.00")
    with commit():  # an open on-account invoice of 12.50 + shipping 5.15 + 19 % tax
        earlier = OrderFactory(
            customer_email=customer.email, lines=[("MUG-1", 1)], payment_method="on_account", payment_token=""
        )
    client = staff_client("order desk")

    response = client.get(f"{URL}?customer={customer.pk}")

    credit = response.context["credit"]
    assert credit.outstanding == earlier.total
    assert credit.remaining == Decimal("100.00") - earlier.total
    assert f"credit remaining {credit.remaining}" in response.text
    assert 'value="on_account"' in response.text


def test_on_account_is_not_offered_to_a_prepaid_customer(staff_client, mug):
    client = staff_client("order desk")

    response = client.get(f"{URL}?customer={CustomerFactory().pk}")

    assert 'value="on_account"' not in response.text
    assert response.context["credit"] is None


def test_an_order_over_the_credit_remaining_is_warned_about_and_goes_on_hold(staff_client, mug, commit):
    customer = _on_account_customer("20.00")
    client = staff_client("order desk")
    data = entry_post(customer=customer, payment_method="on_account", payment_token="", lines=[("MUG-1", "4")])

    preview = client.post(URL, {**data, "action": "refresh"})
    with commit():
        response = client.post(URL, data, follow=True)

    assert preview.context["over_credit"] is True
    assert "it will go on hold for a credit review" in preview.text
    order = Order.objects.get()
    assert (order.status, order.hold_reason, order.payment_method) == ("on_hold", "credit", "on_account")
    assert f"Order {order.number} placed and put on hold: Credit refused." in response.text


def test_an_order_within_the_credit_is_approved(staff_client, mug, commit):
    client = staff_client("order desk")

    with commit():
        client.post(URL, entry_post(customer=_on_account_customer("500.00"), payment_method="on_account"))

    assert Order.objects.get().status == "confirmed"
