"""Support answers a customer's inquiry from the order page; the answer is stored once and emailed."""

from orders.models import Inquiry


def test_support_answers_an_inquiry(staff_client, order_in_state):
    client = staff_client("support")
    order = order_in_state("shipped")
    inquiry = Inquiry.objects.create(order=order, message="Where is it?")
    assert "Send answer" in client.get(f"/dashboard/orders/{order.number}/").text

    response = client.post(
        f"/dashboard/orders/{order.number}/inquiries/{inquiry.pk}/answer/", {"answer": "On its way!"}, follow=True
    )

    assert "Answer sent to the customer." in response.text
    inquiry.refresh_from_db()
    assert inquiry.answer == "On its way!" and inquiry.answered_by == client.user
    assert "On its way!" in response.text and "Send answer" not in response.text


def test_empty_answer_is_refused_beside_the_field(staff_client, order_in_state):
    client = staff_client("support")
    order = order_in_state("shipped")
    inquiry = Inquiry.objects.create(order=order, message="Where is it?")

    response = client.post(f"/dashboard/orders/{order.number}/inquiries/{inquiry.pk}/answer/", {"answer": " "})

    assert response.status_code == 400
    assert 'class="error"' in response.text
    inquiry.refresh_from_db()
    assert not inquiry.is_answered


def test_answering_twice_is_refused(staff_client, order_in_state):
    client = staff_client("support")
    order = order_in_state("shipped")
    inquiry = Inquiry.objects.create(order=order, message="Where is it?")
    url = f"/dashboard/orders/{order.number}/inquiries/{inquiry.pk}/answer/"
    client.post(url, {"answer": "First"})

    response = client.post(url, {"answer": "Second"}, follow=True)

    assert "answered already" in response.text
    inquiry.refresh_from_db()
    assert inquiry.answer == "First"


def test_inquiry_of_another_order_is_404(staff_client, order_in_state):
    client = staff_client("support")
    order, other = order_in_state("shipped"), order_in_state("confirmed")
    inquiry = Inquiry.objects.create(order=other, message="Hello")

    response = client.post(f"/dashboard/orders/{order.number}/inquiries/{inquiry.pk}/answer/", {"answer": "Hi"})

    assert response.status_code == 404
    inquiry.refresh_from_db()
    assert not inquiry.is_answered
