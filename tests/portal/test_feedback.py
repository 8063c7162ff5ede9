"""After delivery a customer rates the order 1–5 with a comment, once; before delivery the page says when."""

import pytest

from oms.exceptions import ConflictError, InvalidInput
from orders.models import Feedback
from orders.services import feedback_record


@pytest.mark.parametrize("state", ["delivered", "completed"])
def test_a_delivered_order_is_rated_once(state, client, order_in_state, link):
    # given
    order = order_in_state(state)

    # when
    response = client.post(link(order, "feedback"), {"rating": "4", "comment": "Quick, well packed."}, follow=True)

    # then
    page = response.content.decode()
    assert "Thank you for rating your order!" in page
    assert "4 out of 5 stars" in page and "Quick, well packed." in page
    assert "Send rating" not in page
    feedback = Feedback.objects.get(order=order)
    assert (feedback.rating, feedback.comment) == (4, "Quick, well packed.")
    assert order.events.filter(actor="customer", note="Customer rated the order 4/5").exists()


def test_a_second_rating_is_refused(client, order_in_state, link):
    # given
    order = order_in_state("delivered")
    client.post(link(order, "feedback"), {"rating": "5"})

    # when
    response = client.post(link(order, "feedback"), {"rating": "1", "comment": "changed my mind"}, follow=True)

    # then
    assert "you have rated this order" in response.content.decode()
    assert Feedback.objects.get(order=order).rating == 5
    with pytest.raises(ConflictError):
        feedback_record(order_id=order.pk, rating=2)


@pytest.mark.parametrize("state", ["confirmed", "fulfilling", "shipped", "in_transit", "cancelled", "on_hold"])
def test_an_order_not_delivered_cannot_be_rated(state, order_in_state, page_then_forced, order_snapshot):
    # given
    order = order_in_state(state)
    before = order_snapshot(order)

    # when: the page, then a forced rating
    page, answer = page_then_forced(order, "feedback", {"rating": "5"})

    # then
    assert "Send rating" not in page
    if state == "cancelled":
        assert "A cancelled order cannot be rated." in answer
    else:
        assert "once it has been delivered" in page
        assert "once it has been delivered" in answer
    assert not Feedback.objects.exists()
    assert order_snapshot(order) == before
    with pytest.raises(ConflictError):
        feedback_record(order_id=order.pk, rating=5)


@pytest.mark.parametrize("rating", ["", "0", "6", "five", "4.5"])
def test_a_rating_outside_1_to_5_is_answered_beside_the_field(rating, client, order_in_state, link):
    # given
    order = order_in_state("delivered")

    # when
    response = client.post(link(order, "feedback"), {"rating": rating})

    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a rating from 1 to 5 stars." in page or "Select a valid choice." in page
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, -1, "x", None, True, 4.5])
def test_the_service_refuses_a_bad_rating_naming_the_field(rating, db):
    # bad input is refused before the order is even looked at
    with pytest.raises(InvalidInput) as caught:
        feedback_record(order_id=0, rating=rating)

    assert list(caught.value.fields) == ["rating"]
    assert not Feedback.objects.exists()
