"""The order page shows everything about an order, in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Feedback, Inquiry, OrderNote


def test_detail_shows_lines_totals_customer_payment_and_timeline(desk, order_in_state):
    order = order_in_state(
        "confirmed", customer_name="Ann Example", customer_email="ann@example.com", notes="Leave at door"
    )

    response = desk.get(f"/dashboard/orders/{order.number}/")

    assert response.status_code == 200
    text = response.text
    assert f"Order {order.number}" in text
    line = order.lines.get()
    assert line.sku in text and str(line.line_total) in text
    assert str(order.total) in text
    assert "Ann Example" in text and "ann@example.com" in text
    assert "1 Main St" in text
    assert "Leave at door" in text
    assert "Authorize" in text  # the gateway transaction
    assert "Placed via" in text  # the first timeline event
    assert "Not shipped yet." in text
    assert "No notes yet." in text and "No inquiries from the customer." in text and "No feedback yet." in text


def test_detail_of_a_shipped_order_links_label_and_packing_slip(desk, order_in_state):
    order = order_in_state("in_transit")
    shipment = order.shipments.get()

    response = desk.get(f"/dashboard/orders/{order.number}/")

    assert shipment.tracking_number in response.text
    assert f"/dashboard/shipments/{shipment.pk}/label.pdf" in response.text
    assert f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf" in response.text
    assert "In transit" in response.text


def test_detail_shows_notes_inquiries_and_feedback(desk, order_in_state, colleague):
    order = order_in_state("delivered")
    OrderNote.objects.create(order=order, author=colleague, body="Customer called about the box")
    Inquiry.objects.create(order=order, message="Where is my parcel?")
    Feedback.objects.create(order=order, rating=4, comment="Quick delivery")

    text = desk.get(f"/dashboard/orders/{order.number}/").text

    assert "Customer called about the box" in text and "Cora Lee" in text
    assert "Where is my parcel?" in text
    assert "4/5" in text and "Quick delivery" in text


def test_detail_query_count_does_not_grow_with_the_order(desk, order_in_state, colleague):
    small = order_in_state("in_transit")
    big = order_in_state("in_transit")
    for i in range(5):
        OrderNote.objects.create(order=big, author=colleague, body=f"note {i}")
        Inquiry.objects.create(order=big, message=f"question {i}")
    desk.get(f"/dashboard/orders/{small.number}/")

    with CaptureQueriesContext(connection) as few:
        desk.get(f"/dashboard/orders/{small.number}/")
    with CaptureQueriesContext(connection) as many:
        desk.get(f"/dashboard/orders/{big.number}/")

    assert len(many) == len(few)


def test_unknown_order_is_404(desk, db):
    assert desk.get("/dashboard/orders/NOPE1234/").status_code == 404
    assert desk.get("/dashboard/orders/AB%00CD/").status_code == 404
