"""A question sent twice (double click, a reloaded page) reaches the support queue once."""

import pytest

from orders.models import Inquiry
from orders.services import inquiry_answer, inquiry_create
from tests.factories import StaffFactory


@pytest.fixture
def order(order_in_state):
    return order_in_state("shipped")


def test_the_same_question_posted_twice_is_stored_once(client, order, link):
    # when
    first = client.post(link(order, "inquiry"), {"message": "Can you deliver after 5 pm?"})
    again = client.post(link(order, "inquiry"), {"message": " Can you deliver after 5 pm? "}, follow=True)

    # then: both say it arrived; one inquiry, one timeline entry
    assert first.status_code == 302
    assert "we have your message and will answer by email" in again.content.decode()
    assert Inquiry.objects.filter(order=order).count() == 1
    assert order.events.filter(note="Customer inquiry").count() == 1


def test_a_different_question_or_the_same_one_after_an_answer_is_a_new_inquiry(order):
    # given
    first = inquiry_create(order_id=order.pk, message="Can you deliver after 5 pm?")

    # when
    other = inquiry_create(order_id=order.pk, message="Can you leave it with a neighbour?")
    inquiry_answer(inquiry_id=first.pk, user=StaffFactory(role="support"), answer="Yes.")
    asked_again = inquiry_create(order_id=order.pk, message="Can you deliver after 5 pm?")

    # then
    assert len({first.pk, other.pk, asked_again.pk}) == 3
    assert Inquiry.objects.filter(order=order).count() == 3
