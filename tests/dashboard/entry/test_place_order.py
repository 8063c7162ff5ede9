"""Staff place phone, email and in-store orders through the same service as the API."""

import pytest

from inventory.models import StockItem, StockMovement
from orders.models import Customer, Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory, OrderFactory, ProductFactory, StockItemFactory

URL = "/dashboard/orders/new/"


def test_phone_order_for_an_existing_customer_is_placed_and_confirmed(staff_client, mug, commit):
    # given
    customer = CustomerFactory(name="Ann Example", email="ann@example.com")
    client = staff_client("order desk", username="dana")

    # when
    with commit():
        response = client.post(URL, entry_post(customer=customer, notes="Leave at the back door"), follow=False)

    # then
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dashboard/orders/{order.number}/"
    assert (order.customer, order.channel, order.status) == (customer, "phone", "confirmed")
    assert order.notes == "Leave at the back door"
    assert list(order.lines.values_list("sku", "quantity")) == [("MUG-1", 2)]
    assert order.events.first().actor == "dana"
    assert Customer.objects.count() == 1
    # the payment ran after the response was made (here: on commit), so the message says it is under way
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Order {order.number} placed; the card payment is being authorized."]


@pytest.mark.django_db(transaction=True)
def test_with_payment_done_inline_the_message_says_confirmed(staff_client, mug, reference_data):
    # tasks run in-process right after each real commit (make demo), before the redirect is made
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer=CustomerFactory()), follow=True)

    order = Order.objects.get()
    assert order.status == "confirmed"
    assert f"Order {order.number} placed and confirmed." in response.text


@pytest.mark.parametrize(
    ("channel", "payment", "status"),
    [("phone", "card", "confirmed"), ("email", "bank_transfer", "credit_approved"), ("in_store", "cash", "confirmed")],
)
def test_each_channel_is_recorded(staff_client, mug, commit, channel, payment, status):
    client = staff_client("order desk")

    with commit():
        response = client.post(
            URL,
            entry_post(customer=CustomerFactory(), channel=channel, payment_method=payment, payment_token="tok_ok"),
        )

    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.channel, order.payment_method, order.status) == (channel, payment, status)


def test_bank_transfer_message_says_it_waits_for_funds(staff_client, mug, commit):
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer=CustomerFactory(), payment_method="bank_transfer"))

    order = Order.objects.get()
    assert [str(m) for m in response.wsgi_request._messages] == [
        f"Order {order.number} placed: it is confirmed once the bank transfer arrives."
    ]


def test_a_new_customer_is_created_with_the_order(staff_client, mug, commit):
    client = staff_client("order desk")

    with commit():
        response = client.post(
            URL,
            entry_post(customer_name="Bea New", customer_email="Bea@Example.com", customer_phone="+1 555 0100"),
        )

    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.name, customer.email, customer.phone) == ("Bea New", "Bea@Example.com", "+1 555 0100")
    assert Order.objects.get().customer == customer


def test_new_customer_with_an_existing_email_is_sent_to_pick_them(staff_client, mug):
    CustomerFactory(name="Ann Example", email="ann@example.com")
    client = staff_client("order desk")

    response = client.post(URL, entry_post(customer_name="Ann Again", customer_email="ANN@example.com"))

    assert response.status_code == 400
    assert response.context["form"].errors["customer_email"] == [
        "Ann Example already has this email: find and pick them instead."
    ]
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 1


def test_double_submit_places_one_order(staff_client, mug, commit):
    client = staff_client("order desk")
    data = entry_post(customer=CustomerFactory())

    with commit():
        first = client.post(URL, data)
    with commit():
        second = client.post(URL, data, follow=True)

    order = Order.objects.get()
    assert first.url == second.redirect_chain[0][0] == f"/dashboard/orders/{order.number}/"
    assert "This form was already submitted" in second.text


def test_an_order_short_of_stock_goes_on_hold_and_the_message_says_why(staff_client, warehouse, commit):
    product = ProductFactory(sku="RARE-1")
    StockItemFactory(product=product, warehouse=warehouse, on_hand=1)
    client = staff_client("order desk")

    with commit():
        response = client.post(URL, entry_post(customer=CustomerFactory(), lines=[("RARE-1", "3")]), follow=True)

    order = Order.objects.get()
    assert (order.status, order.hold_reason) == ("on_hold", "out_of_stock")
    assert f"Order {order.number} placed and put on hold: Out of stock." in response.text


def test_placing_writes_the_reservation_to_the_ledger(staff_client, mug, commit):
    client = staff_client("order desk")

    with commit():
        client.post(URL, entry_post(customer=CustomerFactory(), lines=[("MUG-1", "3")]))

    order = Order.objects.get()
    assert StockItem.objects.get(product=mug).reserved == 3
    assert StockMovement.objects.filter(reference=order.number, kind="reserve").count() == 1


def test_customer_link_prefills_the_address_of_their_last_order(staff_client, mug, commit):
    with commit():
        order = OrderFactory(customer_email="kim@example.com", lines=[("MUG-1", 1)])
    client = staff_client("order desk")

    response = client.get(f"{URL}?customer={order.customer_id}")

    form = response.context["form"]
    assert form.initial["ship_line1"] == order.shipping_address.line1
    assert form.initial["ship_country"] == "DE"
    assert "kim@example.com" in response.text
