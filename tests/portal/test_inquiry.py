"""Inquiries: a customer asks from the portal, staff see it on the order and answer it once, by email."""

import pytest

from oms.exceptions import ConflictError, InvalidInput
from orders.exceptions import TransitionForbidden
from orders.models import INQUIRY_OPEN_LIMIT, Inquiry, Notification
from orders.selectors.support import inquiry_list_for_order
from orders.services import inquiry_answer, inquiry_create
from tests.factories import StaffFactory


@pytest.fixture
def order(order_in_state):
    return order_in_state("shipped")


def test_a_customer_sends_a_question_from_the_order_page(client, order, link):
    # when
    response = client.post(link(order, "inquiry"), {"message": "  Can you deliver after 5 pm?  "}, follow=True)

    # then
    page = response.content.decode()
    assert "we have your message and will answer by email" in page
    assert "Can you deliver after 5 pm?" in page  # in the thread
    [inquiry] = inquiry_list_for_order(order_id=order.pk)
    assert inquiry.message == "Can you deliver after 5 pm?"
    assert not inquiry.is_answered
    assert order.events.filter(actor="customer", note="Customer inquiry").count() == 1


@pytest.mark.parametrize(
    ("message", "error"),
    [("", "This field is required."), ("   ", "This field is required."), ("x" * 2001, "at most 2000 characters")],
)
def test_an_empty_or_overlong_message_is_answered_beside_the_field(message, error, client, order, link):
    # when
    response = client.post(link(order, "inquiry"), {"message": message})

    # then
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Inquiry.objects.exists()


def test_the_service_refuses_an_empty_message_naming_the_field(order):
    with pytest.raises(InvalidInput) as caught:
        inquiry_create(order_id=order.pk, message=" \n ")

    assert caught.value.fields == {"message": ["Write your message."]}
    assert not Inquiry.objects.exists()


def test_a_few_open_questions_at_a_time(order, page_then_forced):
    # given
    for i in range(INQUIRY_OPEN_LIMIT):
        inquiry_create(order_id=order.pk, message=f"Question {i}")

    # when: the page, then one more question forced
    page, answer = page_then_forced(order, "inquiry", {"message": "One more"})

    # then
    assert "Send message" not in page
    assert "will answer them soon" in answer
    assert Inquiry.objects.count() == INQUIRY_OPEN_LIMIT
    with pytest.raises(ConflictError):
        inquiry_create(order_id=order.pk, message="And another")


def test_support_answers_once_and_the_customer_gets_the_answer_by_email(order, mailoutbox, commit):
    # given
    inquiry = inquiry_create(order_id=order.pk, message="Can you deliver after 5 pm?")
    agent = StaffFactory(role="support", username="sam")
    sent_before = len(mailoutbox)

    # when
    with commit():
        inquiry_answer(inquiry_id=inquiry.pk, user=agent, answer="Yes, the driver comes after 5 pm.")

    # then
    inquiry.refresh_from_db()
    assert inquiry.is_answered and inquiry.answered_by == agent and inquiry.answer.startswith("Yes")
    [mail] = mailoutbox[sent_before:]
    assert mail.subject == f"Re: your message about order {order.number}"
    assert "Can you deliver after 5 pm?" in mail.body and "the driver comes after 5 pm" in mail.body
    assert Notification.objects.get(order=order, kind=f"inquiry_reply:{inquiry.pk}").sent_at is not None
    assert order.events.filter(actor="sam", note="Customer inquiry answered by email").exists()


def test_an_answered_inquiry_cannot_be_answered_again(order, mailoutbox, commit):
    # given
    inquiry = inquiry_create(order_id=order.pk, message="Hello?")
    agent = StaffFactory(role="support")
    with commit():
        inquiry_answer(inquiry_id=inquiry.pk, user=agent, answer="Hello!")
    sent = len(mailoutbox)

    # when
    with pytest.raises(ConflictError), commit():
        inquiry_answer(inquiry_id=inquiry.pk, user=agent, answer="Hello again!")

    # then
    inquiry.refresh_from_db()
    assert inquiry.answer == "Hello!"
    assert len(mailoutbox) == sent


@pytest.mark.parametrize("role", ["order desk", "warehouse", "finance", None])
def test_only_people_allowed_to_answer_may(role, order, mailoutbox, commit):
    # given
    inquiry = inquiry_create(order_id=order.pk, message="Hello?")
    sent = len(mailoutbox)

    # when
    with pytest.raises(TransitionForbidden) as caught, commit():
        inquiry_answer(inquiry_id=inquiry.pk, user=StaffFactory(role=role), answer="Hi")

    # then
    assert caught.value.kind == "forbidden"
    inquiry.refresh_from_db()
    assert not inquiry.is_answered
    assert len(mailoutbox) == sent


def test_an_empty_answer_is_refused(order):
    inquiry = inquiry_create(order_id=order.pk, message="Hello?")

    with pytest.raises(InvalidInput) as caught:
        inquiry_answer(inquiry_id=inquiry.pk, user=StaffFactory(role="support"), answer="  ")

    assert "answer" in caught.value.fields
    inquiry.refresh_from_db()
    assert not inquiry.is_answered


def test_the_customer_sees_the_answer_on_the_order_page(client, order, link, commit):
    # given
    inquiry = inquiry_create(order_id=order.pk, message="Gift wrap?")
    with commit():
        inquiry_answer(inquiry_id=inquiry.pk, user=StaffFactory(role="support"), answer="Done, with a ribbon.")

    # when
    page = client.get(link(order)).content.decode()

    # then
    assert "Gift wrap?" in page and "Done, with a ribbon." in page and "We answered" in page
