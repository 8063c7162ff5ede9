"""The customer hears of every shipment: "Part of your order has shipped" per part, the usual email at the end."""

from django.core import mail

from orders.services import order_shipment_label
from shipping.models import Shipment
from tests.orders.partial_shipments.conftest import stock_arrives


def sent(order, subject: str) -> list:
    return [m for m in mail.outbox if m.subject == subject.format(number=order.number)]


PART = "Part of your order {number} has shipped"
SHIPPED = "Order {number} has shipped"


def test_one_email_per_shipment_with_its_contents_tracking_and_what_is_to_come(partial_order, ship_available, shelf):
    # given 3 cups (2 in stock) and 2 tins (none)
    order = partial_order([("PS-CUP", 3, 2), ("PS-TIN", 2, 0)])

    # when the first shipment leaves
    order = ship_available(order)

    # then one email tells what is in it, how to track it and what is still to come
    first = Shipment.objects.get(order=order)
    (email,) = sent(order, PART)
    assert email.to == [order.customer.email]
    assert "2 × Tea Cup (PS-CUP)" in email.body
    assert f"tracking number {first.tracking_number}" in email.body
    to_come = email.body.split("Still to come:")[1]
    assert "1 × Tea Cup (PS-CUP)" in to_come and "2 × Tea Tin (PS-TIN)" in to_come
    assert "/track/" in email.body, "the link to the order page"
    html = email.alternatives[0][0]
    assert first.tracking_number in html and "Still to come" in html
    assert not sent(order, SHIPPED), "not shipped yet"

    # when the second part leaves
    stock_arrives(order, "PS-TIN", 2)
    order = ship_available(order)

    # then a second email, about that parcel only
    emails = sent(order, PART)
    assert len(emails) == 2
    second = Shipment.objects.filter(order=order).latest("pk")
    assert f"tracking number {second.tracking_number}" in emails[1].body
    assert first.tracking_number not in emails[1].body
    assert "2 × Tea Tin (PS-TIN)" in emails[1].body
    assert "1 × Tea Cup (PS-CUP)" in emails[1].body.split("Still to come:")[1]

    # when the last cup ships
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)

    # then the usual shipped email, listing the parcels; no third "part" email
    assert order.status == "shipped"
    (final,) = sent(order, SHIPPED)
    assert len(sent(order, PART)) == 2
    for shipment in Shipment.objects.filter(order=order):
        assert shipment.tracking_number in final.body


def test_a_label_task_run_again_sends_no_second_email(partial_order, ship_available, shelf, commit):
    # given a first shipment told
    order = ship_available(partial_order([("PS-CUP", 2, 1)]))
    shipment = Shipment.objects.get(order=order)

    # when the label task runs again
    with commit():
        order_shipment_label(shipment_id=shipment.pk)

    # then
    assert len(sent(order, PART)) == 1
    assert order.events.filter(note="Emailed the customer: partial shipped").count() == 1


def test_the_shipped_email_waits_for_an_early_parcel_whose_label_came_late(
    partial_order, ship_available, shelf, commit
):
    # given a first part whose label is not bought yet (the carrier was down) when the rest ships
    order = partial_order([("PS-CUP", 2, 1)])
    order = ship_available(order)
    first = Shipment.objects.get(order=order)
    Shipment.objects.filter(pk=first.pk).update(tracking_number=None, status="label_pending")
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)
    assert order.status == "shipped"
    assert not sent(order, SHIPPED), "one parcel has no tracking number yet"

    # when the first parcel's label is bought at last
    with commit():
        order_shipment_label(shipment_id=first.pk)

    # then the customer is told the order shipped, with both tracking numbers
    (email,) = sent(order, SHIPPED)
    for shipment in Shipment.objects.filter(order=order):
        assert shipment.tracking_number in email.body
