"""The order page: the progress line with dates, hold advice, lines and totals, parcels, the masked address."""

import re

from orders.models import Order


def steps_of(page: str) -> list[tuple[str, str]]:
    """[(label, state)] of the progress line, state as a screen reader hears it."""
    line = page.split('<ol class="progress">')[1].split("</ol>")[0]
    return re.findall(r"<strong>(.*?)</strong>\s*<span class=\"sr-only\">\((.*?)\)</span>", line)


def test_a_confirmed_order_shows_where_it_is_and_when_it_should_arrive(client, order_in_state, link):
    # given
    order = order_in_state("confirmed")

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert steps_of(page) == [
        ("Placed", "done"),
        ("Confirmed", "where your order is now"),
        ("Being packed", "not yet"),
        ("Shipped", "not yet"),
        ("Out for delivery", "not yet"),
        ("Delivered", "not yet"),
    ]
    assert f"Estimated delivery <strong>{order.estimated_delivery_date:%A}" in page
    assert 'aria-current="step"' in page
    assert page.count('<time class="when"') == 2  # placed and confirmed have their dates


def test_lines_and_totals_are_shown(client, order_in_state, link):
    # given
    order = order_in_state("confirmed")
    line = order.lines.get()

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert line.name in page and line.sku in page
    for amount in (line.line_total, order.subtotal, order.shipping_total, order.tax_total):
        assert f">{amount}<" in page
    assert f"{order.total} {order.currency}" in page


def test_the_delivery_address_is_partly_masked(client, order_in_state, link):
    # given
    order = order_in_state("confirmed", customer_name="Ann Example")
    address = order.shipping_address

    # when
    page = client.get(link(order)).content.decode()
    shown = page.split('<address class="address">')[1].split("</address>")[0]

    # then: recognisable, not readable
    assert address.line1 not in page
    assert address.name not in shown
    assert address.postal_code not in shown
    assert address.city in shown and address.country in shown
    assert address.postal_code[:2] + "•" in shown


def test_a_shipped_order_shows_each_parcel_with_carrier_tracking_number_and_events(
    client, order_in_state, link, carrier_event
):
    # given
    order = order_in_state("in_transit")
    carrier_event(order, "out_for_delivery", location="Berlin depot", description="With the driver")
    shipment = order.shipments.get()

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert "DEMO" in page and shipment.tracking_number in page
    assert "With the driver · Berlin depot" in page
    assert steps_of(page)[3:] == [
        ("Shipped", "done"),
        ("Out for delivery", "where your order is now"),
        ("Delivered", "not yet"),
    ]
    assert "Out for delivery</span>" in page  # the headline


def test_a_delivered_order_has_every_step_done_with_dates(client, order_in_state, link):
    # given
    order = order_in_state("delivered")

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert [state for _, state in steps_of(page)] == ["done"] * 5 + ["where your order is now"]
    assert "Estimated delivery" not in page
    assert "How was your order?" in page


def test_a_payment_failed_hold_tells_the_customer_what_to_do(client, commit, warehouse, link):
    # given: a declined card puts the order on hold
    from tests.factories import OrderFactory

    with commit():
        order = OrderFactory(payment_token="tok_decline")
    assert Order.objects.get(pk=order.pk).status == "on_hold"

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert "Your payment did not go through" in page
    assert "Please contact us" in page
    assert '<a href="#ask">Send us a message</a>' in page
    assert ("Confirmed", "on hold") in steps_of(page)


def test_a_fraud_review_is_explained_without_alarming_the_customer(client, order_in_state, link):
    # given
    order = order_in_state("on_hold")  # held for a fraud review

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert "We are making a routine check" in page
    assert "fraud" not in page.lower()


def test_a_cancelled_order_ends_its_line_at_the_cancellation(client, order_in_state, link):
    # given
    order = order_in_state("cancelled")

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert steps_of(page) == [("Placed", "done"), ("Confirmed", "done"), ("Cancelled", "where your order is now")]
    assert "This order was cancelled on" in page
    assert "Estimated delivery" not in page
    assert "This order is cancelled." in page


def test_the_page_runs_a_fixed_number_of_queries(client, order_in_state, link, django_assert_max_num_queries):
    # given: an order with parcels, events and messages
    order = order_in_state("delivered")
    from orders.services import feedback_record, inquiry_create

    inquiry_create(order_id=order.pk, message="Where is the invoice?")
    feedback_record(order_id=order.pk, rating=4)
    path = link(order)

    # then
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert response.status_code == 200
