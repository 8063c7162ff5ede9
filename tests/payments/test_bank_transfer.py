"""A bank transfer waits, credit approved and awaiting funds, until finance records the money."""

import pytest

from orders.models import Order
from payments.models import Payment


@pytest.fixture
def waiting(api, mug, order_body, commit):
    order_body["payment"] = {"method": "bank_transfer"}
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 201
    return Order.objects.get(number=response.json()["number"])


def test_bank_transfer_waits_for_funds(waiting, api, mailoutbox):
    # when
    detail = api.get(f"/api/v1/orders/{waiting.number}/").json()

    # then
    assert detail["status"] == "credit_approved"
    assert detail["payment"]["status"] == "awaiting_funds"
    assert detail["payment"]["captured"] == "0.00"
    # the customer is told how to pay, and nothing else yet
    assert [m.subject for m in mailoutbox] == [f"Order {waiting.number}: how to pay by bank transfer"]


def test_finance_marks_it_paid_and_the_order_is_confirmed(waiting, api, staff_api, commit, mailoutbox):
    # given
    finance = staff_api("finance")

    # when
    with commit():
        response = finance.post(f"/api/v1/orders/{waiting.number}/transitions/mark_paid/", format="json")

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert (body["payment"]["status"], body["payment"]["captured"]) == ("captured", body["total"])
    payment = Payment.objects.get(order=waiting)
    assert (payment.status, payment.captured_amount) == ("captured", waiting.total)
    waiting.refresh_from_db()
    assert (waiting.payment_status, waiting.amount_captured) == ("captured", waiting.total)
    steps = list(waiting.events.exclude(to_status="").values_list("from_status", "to_status", "actor"))[-2:]
    assert steps == [("credit_approved", "paid", finance.user.username), ("paid", "confirmed", "system")]
    assert [m.subject for m in mailoutbox] == [
        f"Order {waiting.number}: how to pay by bank transfer",
        f"Order {waiting.number} confirmed",
    ]


def test_marking_paid_twice_is_refused(waiting, staff_api, order_snapshot):
    # given
    finance = staff_api("finance")
    finance.post(f"/api/v1/orders/{waiting.number}/transitions/mark_paid/", format="json")
    before = order_snapshot(waiting)

    # when
    response = finance.post(f"/api/v1/orders/{waiting.number}/transitions/mark_paid/", format="json")

    # then
    assert response.status_code == 409
    assert order_snapshot(waiting) == before


def test_a_card_order_cannot_be_marked_paid(api, mug, order_body, staff_api, order_snapshot):
    # given a card order whose payment has not run yet
    response = api.post("/api/v1/orders/", order_body, format="json")
    order = Order.objects.get(number=response.json()["number"])
    assert order.status == "credit_approved"
    before = order_snapshot(order)

    # when
    response = staff_api("finance").post(f"/api/v1/orders/{order.number}/transitions/mark_paid/", format="json")

    # then
    assert response.status_code == 409
    assert order_snapshot(order) == before
