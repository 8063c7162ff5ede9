"""From a customer to their orders in the order list, where they can be filtered, sorted and acted on."""

import pytest

from tests.factories import CustomerFactory, OrderFactory


@pytest.fixture
def customer_with_orders(mug, commit):
    customer = CustomerFactory(name="Acme Ltd")
    with commit():
        for _ in range(2):
            OrderFactory(customer_email=customer.email, lines=[("MUG-1", 1)])
    return customer


def test_the_customer_page_opens_their_orders_in_the_order_list(staff_client, customer_with_orders):
    # when
    html = staff_client("support").get(f"/dashboard/customers/{customer_with_orders.pk}/").text

    # then
    assert f'href="/dashboard/orders/?customer={customer_with_orders.pk}">Open in the order list</a>' in html


def test_the_order_count_in_the_customer_list_links_to_their_orders(staff_client, customer_with_orders):
    # given
    client = staff_client("order desk")

    # when
    html = client.get("/dashboard/customers/", {"q": "Acme"}).text
    listed = client.get(f"/dashboard/orders/?customer={customer_with_orders.pk}")

    # then
    pk = customer_with_orders.pk
    link = f'href="/dashboard/orders/?customer={pk}" aria-label="2 orders, in the order list">2</a>'
    assert link in html
    assert listed.status_code == 200 and listed.text.count("Acme Ltd") >= 2


def test_a_customer_without_orders_gets_no_link(staff_client, db):
    customer = CustomerFactory(name="Nobody Yet")

    html = staff_client("support").get(f"/dashboard/customers/{customer.pk}/").text

    assert "Open in the order list" not in html
