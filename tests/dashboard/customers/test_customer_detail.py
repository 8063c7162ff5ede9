"""The customer page: contact, addresses, order history, terms, outstanding balance and credit remaining."""

from decimal import Decimal

from tests.factories import CustomerFactory, OrderFactory


def test_detail_shows_orders_addresses_and_credit(staff_client, mug, commit):
    customer = CustomerFactory(name="Acme Ltd", payment_terms="on_account", credit_limit=Decimal("200.00"))
    with commit():
        order = OrderFactory(
            customer_email=customer.email, lines=[("MUG-1", 2)], payment_method="on_account", payment_token=""
        )
    client = staff_client("finance")

    response = client.get(f"/dashboard/customers/{customer.pk}/")

    assert response.status_code == 200
    credit = response.context["credit"]
    assert credit.outstanding == order.total
    assert credit.remaining == Decimal("200.00") - order.total
    assert f'href="/dashboard/orders/{order.number}/"' in response.text
    assert "1 Main St, 10115 Berlin, DE" in response.text  # Address.lines(), on one line
    assert str(credit.remaining) in response.text and "On account" in response.text


def test_prepaid_customer_has_no_credit_remaining_and_no_orders(staff_client, db):
    customer = CustomerFactory()
    client = staff_client("support")

    response = client.get(f"/dashboard/customers/{customer.pk}/")

    assert "No orders yet." in response.text and "No addresses on file." in response.text
    assert "(prepaid)" in response.text


def test_addresses_used_twice_are_listed_once(staff_client, mug, commit):
    with commit():
        first = OrderFactory(customer_email="kim@example.com", lines=[("MUG-1", 1)], shipping_address__name="Kim")
        OrderFactory(customer_email="kim@example.com", lines=[("MUG-1", 1)], shipping_address__name="Kim")
    client = staff_client("order desk")

    response = client.get(f"/dashboard/customers/{first.customer_id}/")

    assert len(response.context["addresses"]) == 1
    assert len(response.context["page_obj"]) == 2


def test_unknown_customer_is_404(staff_client, db):
    assert staff_client("order desk").get("/dashboard/customers/999999/").status_code == 404
